"""Running many documents: the batch job behind ``normalizer run`` (``batch``), local worker
processes (``parallel``), Ray (``ray_executor``) and the repeated-line pass (``repeats``)."""
