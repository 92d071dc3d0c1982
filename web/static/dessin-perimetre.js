// Draw an operation's perimeter: each click adds a corner, "Effacer" starts again; the
// polygon is written as GeoJSON (WGS84) into the hidden field the form sends.
(function () {
  "use strict";
  var div = document.getElementById("carte-perimetre");
  if (!div) { return; }
  var field = document.getElementById("perimetre_geojson");
  var count = document.getElementById("sommets");
  var map = L.map(div).setView([44.8378, -0.5792], 13);
  habillerCarte(map, {
    legende: [{couleur: "#7a0177", libelle: "Périmètre dessiné", forme: "contour"}],
    communes: div.dataset.communes,
    tuiles: div.dataset.tuiles ? {url: div.dataset.tuiles, attribution: div.dataset.attribution} : null
  });
  var corners = [];
  var shape = L.polygon([], {color: "#7a0177", weight: 3}).addTo(map);

  function write() {
    shape.setLatLngs(corners);
    count.textContent = String(corners.length);
    if (corners.length < 3) { field.value = ""; return; }
    var ring = corners.map(function (c) { return [+c.lng.toFixed(6), +c.lat.toFixed(6)]; });
    ring.push(ring[0]);
    field.value = JSON.stringify({type: "Polygon", coordinates: [ring]});
  }
  map.on("click", function (event) { corners.push(event.latlng); write(); });
  document.getElementById("effacer-perimetre").addEventListener("click", function () {
    corners = [];
    write();
  });
  // A refused form comes back with the drawn perimeter: draw it again.
  if (field.value) {
    try {
      JSON.parse(field.value).coordinates[0].slice(0, -1).forEach(function (p) {
        corners.push(L.latLng(p[1], p[0]));
      });
      write();
      map.fitBounds(shape.getBounds());
    } catch (error) {
      corners = [];
      write();
    }
  }
  window.cartePerimetre = map;
}());
