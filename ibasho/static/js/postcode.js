/* The contact details form: a postcode of seven digits fills the prefecture, municipality and
   town from Japan Post's data (the server's offline copy). Only empty fields are filled, so a
   typed address is never overwritten; without JavaScript the server fills them on save. */
(function () {
  "use strict";
  var form = document.getElementById("contact-details-form");
  if (!form) return;
  var input = form.querySelector("[data-postcode]");
  var status = document.getElementById("postcode-status");
  var url = form.dataset.postcodeUrl;
  var last = "";

  function digits(value) {
    return (value || "")
      .replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); })
      .replace(/\D/g, "");
  }

  function fill(name, value) {
    var field = form.elements[name];
    if (field && !field.value && value) field.value = value;
  }

  function look() {
    var code = digits(input.value);
    if (code.length !== 7 || code === last) return;
    last = code;
    fetch(url + "?code=" + code, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { found: false }; })
      .then(function (found) {
        if (!found.found) {
          if (status) status.textContent = status.dataset.unknown || "";
          return;
        }
        input.value = found.postcode;
        fill("prefecture", found.prefecture);
        fill("municipality", found.municipality);
        fill("street", found.town);
        if (status) status.textContent = found.prefecture_name + found.municipality + found.town;
        var street = form.elements.street;
        if (street) street.focus();
      })
      .catch(function () { last = ""; });
  }

  input.addEventListener("input", look);
  input.addEventListener("change", look);
})();
