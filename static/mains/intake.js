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
  const banner = document.getElementById("attach-banner");
  const dropped = document.getElementById("attach-dropped");
  const save = document.getElementById("save-order");

  // The attach mode is rendered by the server from the submitted form; these keep the
  // banner, the button and the hidden target saying the same thing as the agent works.
  function showMode(attached) {
    banner.classList.toggle("d-none", !attached);
    save.querySelector(".save-new").classList.toggle("d-none", attached);
    save.querySelector(".save-attach").classList.toggle("d-none", !attached);
    save.classList.toggle("btn-warning", attached);
    save.classList.toggle("btn-primary", !attached);
  }

  function setNumber(root, number) {
    root.querySelectorAll(".attach-number").forEach(function (el) { el.textContent = number; });
  }

  function attachTo(button) {
    attach.value = button.dataset.id;
    banner.dataset.community = button.dataset.community;
    banner.dataset.category = button.dataset.category;
    banner.dataset.number = button.dataset.number;
    setNumber(banner, button.dataset.number);
    setNumber(save, button.dataset.number);
    dropped.classList.add("d-none");
    showMode(true);
    dropIfChanged();
  }

  function dropAttach(saySo) {
    if (saySo) {
      setNumber(dropped, banner.dataset.number);
      dropped.querySelector(".server-said").classList.add("d-none");
      dropped.querySelector(".page-said").classList.remove("d-none");
      dropped.classList.remove("d-none");
    }
    attach.value = "";
    showMode(false);
  }

  // A call attached for one community and category is not carried over to another.
  function dropIfChanged() {
    if (!attach.value) return;
    if (hidden.value !== banner.dataset.community || category.value !== banner.dataset.category) {
      dropAttach(true);
    }
  }

  function pick(el) {
    hidden.value = el.dataset.id;
    dropIfChanged();
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
    if (button) { attachTo(button); return; }
    if (event.target.closest("#attach-cancel")) dropAttach(false);
  });
  category.addEventListener("change", dropIfChanged);
  search.addEventListener("input", function () { hidden.value = ""; dropIfChanged(); });
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
