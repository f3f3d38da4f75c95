// The community search box (templates/includes/community_search.html): the server lists
// the matches of what is typed (Chinese, pinyin or initials); a click, Enter or the arrow
// keys pick one, which fills the hidden id. Typing again clears the pick. A pick is
// announced as a "community-picked" event on the box (detail: id, name, card), which a
// page listens to for what else a pick does there (the hotline intake's static/mains/intake.js).
(function () {
  document.querySelectorAll("[data-community-search]").forEach(function (box) {
    const search = box.querySelector(".community-search-input");
    const hidden = box.querySelector("input[type=hidden]");
    const results = box.querySelector(".community-search-results");

    function pick(el) {
      hidden.value = el.dataset.id;
      search.value = el.dataset.name;
      search.classList.remove("is-invalid");
      results.innerHTML = "";
      search.focus();
      const detail = { id: el.dataset.id, name: el.dataset.name, card: el.dataset.card || "" };
      box.dispatchEvent(new CustomEvent("community-picked", { bubbles: true, detail: detail }));
    }

    results.addEventListener("click", function (event) {
      const el = event.target.closest(".community-pick");
      if (el) { event.preventDefault(); pick(el); }
    });
    search.addEventListener("input", function () { hidden.value = ""; });
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== "ArrowDown") return;
      const first = results.querySelector(".community-pick");
      if (first) { event.preventDefault(); if (event.key === "Enter") pick(first); else first.focus(); }
    });
    results.addEventListener("keydown", function (event) {
      const items = Array.from(results.querySelectorAll(".community-pick"));
      const i = items.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && i < items.length - 1) { event.preventDefault(); items[i + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? items[i - 1] : search).focus(); }
      if (event.key === "Escape") { results.innerHTML = ""; search.focus(); }
    });
  });
})();
