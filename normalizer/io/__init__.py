"""Input and output: reading documents (``read``), writing records (``write``), the HTML
report over a run's records (``report``) and ``normalizer show``'s text rendering (``render``)."""
