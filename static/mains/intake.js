// Hotline intake: what picking a community does here (the search box itself is the shared
// one, static/mains/community_search.js), attach a call to an open order, and save with
// Ctrl+Enter, without leaving the keyboard.
(function () {
  const form = document.getElementById("intake-form");
  if (!form) return;
  const search = document.getElementById("id_community_search");
  const hidden = document.getElementById("id_community");
  const results = document.getElementById("id_community_results");
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

  // What a pick does here: the community card, the duplicate hints, the attached call, the
  // cursor on to the next field. From the search box (the shared script's event) or from
  // the caller panel's links below.
  function picked(community, next) {
    dropIfChanged();
    search.classList.remove("is-invalid");
    card.textContent = community.name + (community.card ? " · " + community.card : "");
    if (category.value) htmx.trigger(category, "change");
    (next || document.getElementById("id_address")).focus();
  }

  function pick(el, next) {
    hidden.value = el.dataset.id;
    search.value = el.dataset.name;
    results.innerHTML = "";
    picked({ name: el.dataset.name, card: el.dataset.card }, next);
  }
  search.closest("[data-community-search]").addEventListener("community-picked", function (event) {
    picked(event.detail);
  });

  // The category pick: type pinyin initials (sb), pinyin or Chinese, or a number key for
  // one of the nine shown (the most used first). Without JS the sorted select still works.
  const catSearch = document.getElementById("category-search");
  const catResults = document.getElementById("category-results");
  const catIndex = JSON.parse(document.getElementById("category-index").textContent);
  const description = document.getElementById("id_description");
  catSearch.classList.remove("d-none");

  function categoriesFor(text) {
    const q = text.trim().toLowerCase().replace(/\s+/g, "");
    if (!q) return catIndex.slice(0, 9);
    const found = [];
    catIndex.forEach(function (c, i) {
      const at = [c.initials, c.pinyin, c.name.toLowerCase()];
      if (at.some(function (s) { return s.startsWith(q); })) found.push([0, i, c]);
      else if (at.some(function (s) { return s.includes(q); })) found.push([1, i, c]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return found.slice(0, 9).map(function (f) { return f[2]; });
  }

  function showCategories() {
    const found = categoriesFor(catSearch.value);
    catResults.innerHTML = "";
    found.forEach(function (c, i) {
      const item = document.createElement("button");
      item.type = "button";
      item.className = "list-group-item list-group-item-action category-pick";
      item.dataset.id = c.id;
      item.dataset.name = c.name;
      const key = document.createElement("span");
      key.className = "category-key";
      key.textContent = String(i + 1);
      item.append(key, document.createTextNode(c.name));
      catResults.append(item);
    });
    if (!found.length) {
      const none = document.createElement("div");
      none.className = "list-group-item text-secondary";
      none.textContent = catResults.dataset.empty;
      catResults.append(none);
    }
    catResults.classList.remove("d-none");
  }

  function hideCategories() { catResults.classList.add("d-none"); }

  function pickCategory(el) {
    category.value = el.dataset.id;
    category.classList.remove("is-invalid");
    category.dispatchEvent(new Event("change", { bubbles: true }));
    catSearch.value = el.dataset.name;
    hideCategories();
    description.focus();
  }

  function nameOf(id) {
    const found = catIndex.find(function (c) { return String(c.id) === String(id); });
    return found ? found.name : "";
  }
  catSearch.value = nameOf(category.value);
  category.addEventListener("change", function () { catSearch.value = nameOf(category.value); });
  catSearch.addEventListener("focus", showCategories);
  catSearch.addEventListener("input", showCategories);
  catSearch.addEventListener("keydown", function (event) {
    const items = catResults.querySelectorAll(".category-pick");
    if (/^[1-9]$/.test(event.key) && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      const chosen = items[Number(event.key) - 1];
      if (chosen) pickCategory(chosen);
    } else if (event.key === "Enter" && !(event.ctrlKey || event.metaKey)) {
      event.preventDefault();  // Enter here picks; it never saves
      if (items[0]) pickCategory(items[0]);
    } else if (event.key === "ArrowDown" && items[0]) {
      event.preventDefault();
      items[0].focus();
    } else if (event.key === "Escape") {
      hideCategories();
    }
  });
  catResults.addEventListener("keydown", function (event) {
    const items = Array.from(catResults.querySelectorAll(".category-pick"));
    const i = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && i < items.length - 1) { event.preventDefault(); items[i + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? items[i - 1] : catSearch).focus(); }
    if (/^[1-9]$/.test(event.key) && items[Number(event.key) - 1]) { event.preventDefault(); pickCategory(items[Number(event.key) - 1]); }
    if (event.key === "Escape") { hideCategories(); catSearch.focus(); }
  });
  document.addEventListener("focusin", function (event) {
    if (!event.target.closest("#category-search, #category-results")) hideCategories();
  });

  // An earlier order of the caller fills the community and the address. The address comes
  // from the server (for the number typed only, and logged), never sits in the page.
  const phone = document.getElementById("id_caller_phone");
  const address = document.getElementById("id_address");
  function fillFrom(button) {
    const url = button.dataset.url + "?caller_phone=" + encodeURIComponent(phone.value);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) {
        if (data.community) {
          pick({ dataset: { id: String(data.community), name: data.community_name, card: data.community_card } }, catSearch);
        }
        address.value = data.address;
        address.classList.add("filled");
        if (!data.community) catSearch.focus();
      })
      .catch(function () { button.textContent = button.dataset.failed; button.disabled = true; });
  }

  document.addEventListener("click", function (event) {
    const el = event.target.closest(".community-pick-link");
    if (el) { event.preventDefault(); pick(el); return; }
    const chosen = event.target.closest(".category-pick");
    if (chosen) { pickCategory(chosen); return; }
    const filler = event.target.closest(".address-pick");
    if (filler) { fillFrom(filler); return; }
    const button = event.target.closest(".attach-to");
    if (button && button.dataset.fill) {
      // From the caller panel: the call is about that order, so its community and category.
      category.value = button.dataset.category;
      if (button.dataset.community) {
        pick({ dataset: { id: button.dataset.community, name: button.dataset.communityName, card: "" } }, description);
      }
    }
    if (button) { attachTo(button); return; }
    if (event.target.closest("#attach-cancel")) dropAttach(false);
  });
  category.addEventListener("change", dropIfChanged);
  search.addEventListener("input", function () { hidden.value = ""; dropIfChanged(); });
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
