"""The page furniture (data statement, contents, navigation, provenance headings) in Dutch
and English: part of the text catalogue (:mod:`analysis.presentation.language`), used by the
pages the pipeline writes (:mod:`analysis.pipeline.pages`)."""

TEXT = {
    "nl": {"toc": "Inhoud", "made_from": "Deze pagina is gemaakt uit", "synthetic": "synthetisch bestand",
           "no_inputs": "Deze pagina is gemaakt zonder invoerbestanden (gegevens in het geheugen gegenereerd).",
           "links": "Links van deze pagina", "home": "Alle tabellen en figuren (startpagina)",
           "twin": "English version", "downloads": "Downloads van deze pagina (CSV, XLSX, PNG, SVG)",
           "source": "Bronrapport", "no_report": "Bronnen (deze pilot heeft geen eindrapport)"},
    "en": {"toc": "Contents", "made_from": "This page was made from", "synthetic": "synthetic file",
           "no_inputs": "This page was made without input files (data generated in memory).",
           "links": "Links of this page", "home": "All tables and figures (home page)",
           "twin": "Nederlandse versie", "downloads": "Downloads of this page (CSV, XLSX, PNG, SVG)",
           "source": "Source report", "no_report": "Sources (this pilot has no final report)"},
}
