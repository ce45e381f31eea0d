"""Ray executor: the same stage code as the local executor, on Ray actors.

``--executor ray`` starts ``jobs`` actors (1 CPU each); every actor holds one
``parallel.ChunkWorker`` (one ``Normalizer``, models loaded once per actor). The driver
(the ``normalizer run`` process) reads the input with the same readers, sends chunks of
``Config.chunk_size`` documents round-robin to the actors with at most two chunks per actor
in flight, takes the results back in input order and writes them with the same writers.
Chunking and the repeated-line pass are the executor-independent ones, so the output is
byte-identical to ``--executor local`` with any ``--jobs``.

Without ``--address`` (or ``$RAY_ADDRESS``) a private local Ray instance is started on 127.0.0.1 with ``jobs``
CPUs (no dashboard, no usage statistics) and shut down at the end. With ``--address`` (e.g.
``auto`` on a cluster node, or ``ray://head:10001``) the run joins an existing cluster; every
node needs ``normalizer`` installed (same version) and, when translating, the models at the
same ``--models-dir`` path.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, Iterable, Iterator

from ..config import Config
from .parallel import IN_FLIGHT_PER_WORKER, ChunkWorker, Result, chunks, ordered_map


class MissingExtra(ImportError):
    pass


class _ActorWorker:
    def __init__(self, config: Config):
        self.w = ChunkWorker(config)
        self.repeated: Any = None

    def set_repeated(self, repeated: Any) -> bool:
        self.repeated = repeated
        return True

    def keys(self, chunk: list[Any]) -> list[Any]:
        return self.w.keys(chunk)

    def normalize(self, chunk: list[Any]) -> list[Result]:
        return self.w.normalize(chunk, self.repeated)


class RayExecutor:
    name = "ray"

    def __init__(self, config: Config, jobs: int = 1, address: str | None = None):
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        try:
            import ray
        except ImportError as e:
            raise MissingExtra("--executor ray needs Ray: pip install 'normalizer[ray]'") from e
        self.ray = ray
        self.config = config
        self.jobs = max(1, jobs)
        self._owns = False
        address = address or os.environ.get("RAY_ADDRESS") or None
        if not ray.is_initialized():
            if address:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
            else:
                ray.init(
                    num_cpus=self.jobs,
                    include_dashboard=False,
                    _node_ip_address="127.0.0.1",
                    log_to_driver=False,
                    configure_logging=False,
                )
            self._owns = True
        actor_cls = ray.remote(num_cpus=1)(_ActorWorker)
        # one CPU per actor (num_cpus=1), so one translation thread unless --threads says otherwise
        wconf = replace(config, threads=1) if config.threads == 0 else config
        self.actors = [actor_cls.remote(wconf) for _ in range(self.jobs)]

    def _map(self, method: str, items: Iterable[Any]) -> Iterator[Any]:
        n = len(self.actors)
        counter = iter(range(1 << 62))

        def submit(chunk: list[Any]) -> Any:
            actor = self.actors[next(counter) % n]
            return getattr(actor, method).remote(chunk)

        return ordered_map(
            submit, self.ray.get, chunks(items, self.config.chunk_size), n * IN_FLIGHT_PER_WORKER
        )

    def keys(self, items: Iterable[Any]) -> Iterator[Any]:
        for res in self._map("keys", items):
            yield from res

    def normalize(self, items: Iterable[Any], repeated: Any = None) -> Iterator[list[Result]]:
        ref = self.ray.put(repeated)
        self.ray.get([a.set_repeated.remote(ref) for a in self.actors])
        yield from self._map("normalize", items)

    def close(self) -> None:
        for a in self.actors:
            self.ray.kill(a)
        self.actors = []
        if self._owns:
            self.ray.shutdown()
            self._owns = False
