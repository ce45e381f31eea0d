"""The steps of ``pipeline.normalize``, in order, one module each (the input is read and
decoded first by ``io.read``; translation is the ``translation`` package):

1. ``html`` (HTML input: the page rendered to lines with DOM hints) or ``segment`` (plain
   text: one line per block);
2. ``langid``: the language of the page and of every line (tables in ``langtables``,
   scorers in ``langscorers``);
3. ``boilerplate``: article text or boilerplate, and why, for every line (phrase rules in
   ``rules``, line features in ``features``, the fitted trees in ``linemodel``, title and
   heading roles in ``roles``);
4. ``metadata``: publication date, authors, site name and URL (the HTML renderer collects
   its signals into ``htmlsignals`` while it parses);
5. ``assemble``: the record.
"""
