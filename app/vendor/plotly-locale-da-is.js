/* Danish and Icelandic for plotly.js's own texts (tool bar, messages). plotly.js ships no dictionary for
   either language, so these are written for this project in plotly's locale format (dates as in plotly.js's
   plotly-locale-da.js and plotly-locale-is.js, MIT). */
(function () {
  "use strict";
  var locales = [{
    moduleType: "locale", name: "da",
    dictionary: {
      "Autoscale": "Autoskalér", "Box Select": "Vælg rektangel", "Lasso Select": "Vælg med lasso",
      "Compare data on hover": "Sammenlign data ved mouseover", "Show closest data on hover": "Vis nærmeste data ved mouseover",
      "Toggle show closest data on hover": "Slå nærmeste data ved mouseover til/fra",
      "Toggle Spike Lines": "Slå hjælpelinjer til/fra", "Download plot": "Hent figur",
      "Download plot as a PNG": "Hent figur som PNG", "Download plot as JSON": "Hent figur som JSON",
      "Image download succeeded": "Billedet er hentet",
      "Preparing image - this may take a few seconds": "Billedet forberedes – det kan tage nogle sekunder",
      "Sorry, there was a problem downloading your image!": "Beklager, billedet kunne ikke hentes!",
      "Pan": "Panorér", "Zoom": "Zoom", "Zoom in": "Zoom ind", "Zoom out": "Zoom ud", "Reset": "Nulstil",
      "Reset axes": "Nulstil akser", "Reset view": "Nulstil visning", "Reset views": "Nulstil visninger",
      "Double-click to zoom back out": "Dobbeltklik for at zoome ud igen",
      "Double-click on legend to isolate one trace": "Dobbeltklik på forklaringen for kun at vise én serie",
      "Produced with Plotly": "Lavet med Plotly"
    },
    format: {
      days: ["Søndag", "Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag"],
      shortDays: ["Søn", "Man", "Tir", "Ons", "Tor", "Fre", "Lør"],
      months: ["Januar", "Februar", "Marts", "April", "Maj", "Juni", "Juli", "August", "September", "Oktober",
               "November", "December"],
      shortMonths: ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"],
      date: "%d-%m-%Y", decimal: ",", thousands: "."
    }
  }, {
    moduleType: "locale", name: "is",
    dictionary: {
      "Autoscale": "Sjálfvirkur kvarði", "Box Select": "Velja með rétthyrningi", "Lasso Select": "Velja með lassói",
      "Compare data on hover": "Bera saman gögn við bendil", "Show closest data on hover": "Sýna næstu gögn við bendil",
      "Toggle show closest data on hover": "Kveikja/slökkva á næstu gögnum við bendil",
      "Toggle Spike Lines": "Kveikja/slökkva á hjálparlínum", "Download plot": "Sækja mynd",
      "Download plot as a PNG": "Sækja mynd sem PNG", "Download plot as JSON": "Sækja mynd sem JSON",
      "Image download succeeded": "Myndin var sótt",
      "Preparing image - this may take a few seconds": "Mynd í undirbúningi – það getur tekið nokkrar sekúndur",
      "Sorry, there was a problem downloading your image!": "Því miður tókst ekki að sækja myndina!",
      "Pan": "Hliðra", "Zoom": "Aðdráttur", "Zoom in": "Auka aðdrátt", "Zoom out": "Minnka aðdrátt",
      "Reset": "Endurstilla", "Reset axes": "Endurstilla ása", "Reset view": "Endurstilla sýn",
      "Reset views": "Endurstilla sýnir", "Double-click to zoom back out": "Tvísmelltu til að minnka aðdrátt aftur",
      "Double-click on legend to isolate one trace": "Tvísmelltu á skýringu til að sýna aðeins eina röð",
      "Produced with Plotly": "Gert með Plotly"
    },
    format: {
      days: ["Sunnudagur", "Mánudagur", "Þriðjudagur", "Miðvikudagur", "Fimmtudagur", "Föstudagur", "Laugardagur"],
      shortDays: ["Sun", "Mán", "Þri", "Mið", "Fim", "Fös", "Lau"],
      months: ["Janúar", "Febrúar", "Mars", "Apríl", "Maí", "Júní", "Júlí", "Ágúst", "September", "Október",
               "Nóvember", "Desember"],
      shortMonths: ["Jan", "Feb", "Mar", "Apr", "Maí", "Jún", "Júl", "Ágú", "Sep", "Okt", "Nóv", "Des"],
      date: "%d.%m.%Y", decimal: ",", thousands: "."
    }
  }];
  for (var i = 0; i < locales.length; i++) {
    if (typeof Plotly === "undefined") {
      window.PlotlyLocales = window.PlotlyLocales || [];
      window.PlotlyLocales.push(locales[i]);
    } else {
      Plotly.register(locales[i]);
    }
  }
})();
