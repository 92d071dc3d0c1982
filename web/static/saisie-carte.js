// Place or move a record's point on a map: the lon/lat boxes follow the marker and back.
(function () {
  "use strict";
  var div = document.getElementById("carte-saisie");
  if (!div) { return; }
  var lon = document.getElementById("lon");
  var lat = document.getElementById("lat");
  var map = L.map(div).setView([44.8378, -0.5792], 12);
  habillerCarte(map, {
    legende: [{couleur: "#2a81cb", libelle: "Point de la fiche (à faire glisser)", forme: "point"}],
    communes: div.dataset.communes,
    tuiles: div.dataset.tuiles ? {url: div.dataset.tuiles, attribution: div.dataset.attribution} : null
  });
  var marker = null;

  function show(latlng) {
    if (marker) { marker.setLatLng(latlng); return; }
    marker = L.marker(latlng, {draggable: true}).addTo(map);
    marker.on("dragend", function () { write(marker.getLatLng()); });
  }
  function write(latlng) {
    lon.value = latlng.lng.toFixed(6);
    lat.value = latlng.lat.toFixed(6);
  }
  function read() {
    var x = parseFloat(String(lon.value).replace(",", "."));
    var y = parseFloat(String(lat.value).replace(",", "."));
    if (isFinite(x) && isFinite(y)) { show([y, x]); map.setView([y, x], 16); }
  }
  map.on("click", function (event) { show(event.latlng); write(event.latlng); });
  lon.addEventListener("change", read);
  lat.addEventListener("change", read);
  read();
  window.carteSaisie = map;
})();
