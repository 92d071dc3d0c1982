// What every map of the product has, Folium's and our own alike: a metric scale (no miles,
// no feet), a legend, the communes' outlines from the app's own data (a point can be placed
// with no tiles), and the base tiles added once the page has loaded, so that tiles that never
// answer delay neither the page's load event nor the drawing of its vector layers.
(function () {
  "use strict";

  function legende(map, items) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "legende-carte leaflet-bar");
      box.setAttribute("role", "note");
      box.setAttribute("aria-label", "Légende");
      var title = L.DomUtil.create("strong", "", box);
      title.textContent = "Légende";
      var list = L.DomUtil.create("ul", "", box);
      items.forEach(function (item) {
        var line = L.DomUtil.create("li", "", list);
        var mark = L.DomUtil.create("span", "signe " + (item.forme || "point"), line);
        mark.style.setProperty("--couleur", item.couleur);
        line.appendChild(document.createTextNode(item.libelle));
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  function communes(map, source) {
    // Under the other vector layers, and never in the way of a click or a tooltip.
    var pane = map.createPane("limites-communes");
    pane.style.zIndex = 350;
    pane.style.pointerEvents = "none";
    function draw(data) {
      map.limitesCommunes = L.geoJSON(data, {
        pane: "limites-communes",
        interactive: false,
        style: {color: "#404040", weight: 1, opacity: 0.8, fill: false}
      }).addTo(map);
      map.fire("communes-dessinees");
    }
    if (typeof source !== "string") { draw(source); return; }
    fetch(source, {credentials: "same-origin"})
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () { /* the map stays usable without the outlines */ });
  }

  function tuiles(map, source) {
    function add() {
      L.tileLayer(source.url, {attribution: source.attribution, maxZoom: 19}).addTo(map);
    }
    if (document.readyState === "complete") { add(); } else { window.addEventListener("load", add); }
  }

  function infobulle(feature, champs) {
    var table = document.createElement("table");
    champs.forEach(function (champ) {
      var value = feature.properties[champ[0]];
      if (value === null || value === undefined || value === "") { return; }
      var row = table.insertRow();
      row.insertCell().textContent = champ[1];
      row.insertCell().textContent = String(value);  // text, never HTML: names are typed
    });
    return table;
  }

  // Map points loaded apart from the page: the GeoJSON, or an alert under the map (the page
  // itself stays right) and a rejected promise.
  function chargerJson(map, url) {
    return fetch(url, {credentials: "same-origin"})
      .then(function (answer) {
        if (!answer.ok) { throw new Error("Points de la carte : réponse " + answer.status); }
        return answer.json();
      })
      .catch(function (error) {
        var box = map.getContainer().parentNode;
        var note = document.createElement("p");
        note.className = "alerte";
        note.textContent = "Les points de la carte n'ont pas pu être chargés : rechargez la page.";
        box.parentNode.insertBefore(note, box.nextSibling);
        console.warn(error);
        throw error;
      });
  }

  function pointsSurCanevas(canvas, options) {
    return {
      renderer: canvas,
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {
          renderer: canvas, radius: options.rayon || 5, weight: 1, color: "#ffffff",
          fillColor: feature.properties.couleur, fillOpacity: 0.85
        });
      },
      onEachFeature: function (feature, item) {
        item.bindTooltip(function () { return infobulle(feature, options.champs); });
      }
    };
  }

  // A list's points (loaded from options.url) or a record's (given in options.donnees),
  // drawn on one canvas: thousands of markers stay light to draw and to zoom. Resolves once
  // they are drawn (or have failed).
  window.chargerPoints = function (map, options) {
    var canvas = L.canvas({padding: 0.5});
    var data = options.donnees ? Promise.resolve(options.donnees) : chargerJson(map, options.url);
    return data.then(function (data) {
      var style = {
        style: function (feature) {
          return feature.geometry.type === "Point" ? {} :
            {color: "#2166ac", weight: 1, fillOpacity: 0.08};
        }
      };
      var layer = L.geoJSON(data, L.extend(pointsSurCanevas(canvas, options), style)).addTo(map);
      map.pointsCarte = layer;
      if (layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), {maxZoom: 15, padding: [20, 20], animate: false});
      }
      return layer;
    }, function () { return null; });
  };

  // A candidates page: the record studied (a need's wished zone, or its reach around its
  // point), its candidates on a canvas coloured by score, framed together.
  window.chargerCandidats = function (map, options) {
    var bleu = "#2166ac";
    if (options.zone) {
      L.geoJSON(options.zone, {
        style: {color: bleu, weight: 2, fillOpacity: 0.08},
        onEachFeature: function (feature, item) {
          item.bindTooltip(function () { return infobulle(feature, [["nom", "Besoin"]]); });
        }
      }).addTo(map);
    }
    var canvas = L.canvas({padding: 0.5});
    var points = pointsSurCanevas(canvas, {champs: options.champs, rayon: 8});
    map.pointsCarte = L.geoJSON(options.candidats, points).addTo(map);
    if (options.centre) {
      if (options.portee) {
        L.circle(options.centre, {radius: options.portee, color: bleu, weight: 1, fill: false})
          .bindTooltip("Distance maximale").addTo(map);
      }
      L.circleMarker(options.centre, {
        radius: 6, color: "#000", weight: 1, fillColor: bleu, fillOpacity: 0.9
      }).bindTooltip("Fiche étudiée").addTo(map);
    }
    if (options.cadre) {
      map.fitBounds(options.cadre, {maxZoom: 15, padding: [24, 24], animate: false});
    }
    return map.pointsCarte;
  };

  // The home map's points: one canvas layer per "couche", listed in the map's layer control,
  // which a phone shows folded (it would cover the map).
  window.chargerCouches = function (map, control, options) {
    var canvas = L.canvas({padding: 0.5});
    if (window.matchMedia("(max-width: 600px)").matches) {
      control.options.collapsed = true;  // else each overlay added opens it again
      control.collapse();
      map.on("click", control.collapse, control);
    }
    return chargerJson(map, options.url).then(function (data) {
      map.pointsCarte = L.featureGroup();
      options.couches.forEach(function (couche) {
        var only = {filter: function (feature) { return feature.properties.couche === couche.nom; }};
        var layer = L.geoJSON(data, L.extend(pointsSurCanevas(canvas, couche), only));
        if (couche.visible) { layer.addTo(map); }
        control.addOverlay(layer, couche.nom);
        map.pointsCarte.addLayer(layer);
      });
      return map.pointsCarte;
    }, function () { return null; });
  };

  window.habillerCarte = function (map, options) {
    L.control.scale({metric: true, imperial: false}).addTo(map);
    if (options.legende && options.legende.length) { legende(map, options.legende); }
    if (options.communes) { communes(map, options.communes); }
    if (options.tuiles) { tuiles(map, options.tuiles); }
    return map;
  };
})();
