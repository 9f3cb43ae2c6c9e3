# Copyright 2026 The techmatch Authors.
# SPDX-License-Identifier: Apache-2.0
"""techmatch: match technology supply with technology demand.

    import techmatch
    e = techmatch.Engine.load('index-dir')          # or Engine.open({...})
    r = e.match_text('钒电池电解液低成本制备', k=3)
    print(r.confidence, r.needs_follow_up, [m.id for m in r.matches])

Engine: open / load / save, add / upsert / remove (records as dicts in the
schema of docs/records.md), build, match_text / match / match_batch.
Results are plain objects (techmatch.results). Every failure raises a
subclass of techmatch.Error named after its status code:
InvalidArgumentError (also a ValueError), NotFoundError (a LookupError),
FailedPreconditionError, CorruptionError, NotSupportedError, IOError (an
OSError), InternalError. Batch matching on a Dask cluster:
``python3 -m techmatch.dask_match --help``.
"""

from ._techmatch import (  # noqa: F401
    __version__, Engine, Error, InvalidArgumentError, NotFoundError,
    FailedPreconditionError, CorruptionError, NotSupportedError, IOError,
    InternalError)
from .results import (  # noqa: F401
    Span, MatchedTerm, Feature, Explanation, Match, MatchResult)

__all__ = ['Engine', 'Error', 'InvalidArgumentError', 'NotFoundError',
           'FailedPreconditionError', 'CorruptionError', 'NotSupportedError',
           'IOError', 'InternalError', 'Span', 'MatchedTerm', 'Feature',
           'Explanation', 'Match', 'MatchResult']
