// Hotline intake: pick a community from the search results, attach a call to an open
// order, and save with Ctrl+Enter, without leaving the keyboard.
(function () {
  const form = document.getElementById("intake-form");
  if (!form) return;
  const search = document.getElementById("community-search");
  const hidden = document.getElementById("id_community");
  const results = document.getElementById("community-results");
  const card = document.getElementById("community-card");
  const category = document.getElementById("id_category");
  const attach = document.getElementById("id_attach_to");
  const save = document.getElementById("save-order");

  function pick(el) {
    hidden.value = el.dataset.id;
    search.value = el.dataset.name;
    results.innerHTML = "";
    card.textContent = el.dataset.name + " · " + el.dataset.card;
    if (category.value) htmx.trigger(category, "change");
    document.getElementById("id_address").focus();
  }

  document.addEventListener("click", function (event) {
    const el = event.target.closest(".community-pick, .community-pick-link");
    if (el) { event.preventDefault(); pick(el); return; }
    const button = event.target.closest(".attach-to");
    if (button) {
      attach.value = button.dataset.id;
      save.textContent = save.dataset.attachLabel || ("→ " + button.dataset.number);
      save.classList.replace("btn-primary", "btn-warning");
    }
  });
  search.addEventListener("input", function () { hidden.value = ""; });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === "ArrowDown") {
      const first = results.querySelector(".community-pick");
      if (first) { event.preventDefault(); if (event.key === "Enter") pick(first); else first.focus(); }
    }
  });
  results.addEventListener("keydown", function (event) {
    const items = Array.from(results.querySelectorAll(".community-pick"));
    const i = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && i < items.length - 1) { event.preventDefault(); items[i + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? items[i - 1] : search).focus(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
  });
  // The knowledge-base search sits inside the form: Enter there searches, it never saves.
  const kbSearch = document.getElementById("kb-q");
  if (kbSearch) kbSearch.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !(event.ctrlKey || event.metaKey)) { event.preventDefault(); htmx.trigger(kbSearch, "keyup"); }
  });
  // After a failed save, the cursor goes to the first field to mend.
  const invalid = form.querySelector(".is-invalid");
  if (invalid) invalid.focus();
})();
