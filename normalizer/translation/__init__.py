"""Offline translation: installed models (``models``), their download (``download``), the
translation cache (``cache``), sentence splitting (``sentences``) and the translator
(``translate``)."""
