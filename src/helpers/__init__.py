"""Analysis suite for submissions to Rusbehandlingsutvalget (Norway's committee on substance-use treatment).

Data flows one way: ``ingest`` -> ``text`` -> (``themes``, ``positions``) -> ``charts`` -> ``chapters``.
Notebooks in ``notebooks/`` call these modules; no module imports a notebook or the runner.
"""

__version__ = "0.1.0"
