# Copyright 2026 The techmatch Authors.
# SPDX-License-Identifier: Apache-2.0
"""What matching returns, as plain Python objects.

They hold copies (no reference into the engine), compare by value, pickle,
and turn into dicts: ``MatchResult.to_dict()`` has every field;
``MatchResult.to_json()`` is the line ``techmatch match`` prints for the
same result (same keys in the same order, numbers rounded to 1e-6).
"""

import json
import math

__all__ = ['Span', 'MatchedTerm', 'Feature', 'Explanation', 'Match',
           'MatchResult']


class _Value:
    """A record of named fields (``__slots__``), built positionally."""
    __slots__ = ()

    def __init__(self, *args):
        if len(args) != len(self.__slots__):
            raise TypeError(f'{type(self).__name__} takes '
                            f'{len(self.__slots__)} arguments')
        for name, value in zip(self.__slots__, args):
            setattr(self, name, value)

    def __eq__(self, other):
        return type(other) is type(self) and all(
            getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __repr__(self):
        fields = ', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)
        return f'{type(self).__name__}({fields})'

    def __getstate__(self):
        return tuple(getattr(self, n) for n in self.__slots__)

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state):
            setattr(self, name, value)

    def to_dict(self):
        return {n: _plain(getattr(self, n)) for n in self.__slots__}


def _plain(v):
    if isinstance(v, _Value):
        return v.to_dict()
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


class Span(_Value):
    """Byte offsets [begin, end) of a term in a field ("title", "keywords" —
    then ``index`` is the keyword's —, "text"; a free-text query is "text")."""
    __slots__ = ('field', 'index', 'begin', 'end')


class MatchedTerm(_Value):
    """A term the query and the record share, with its share of the BM25
    score and where it occurs on both sides. ``synonym_of``: the query's
    phrase whose synonym brought the term in (then ``query_spans`` is
    empty), or None for the query's own term."""
    __slots__ = ('text', 'kind', 'contribution', 'synonym_of', 'query_spans',
                 'record_spans')


class Feature(_Value):
    """One feature's part in a score: contribution = weight * value."""
    __slots__ = ('name', 'value', 'weight', 'contribution')


class Explanation(_Value):
    """Why a record matched: score = bias + sum of the contributions."""
    __slots__ = ('features', 'bias', 'matched_terms', 'found_by')


class Match(_Value):
    """One candidate; ``explanation`` is None when matching without one."""
    __slots__ = ('id', 'kind', 'score', 'rank', 'lexical_score', 'dense_score',
                 'probability', 'explanation')


class MatchResult(_Value):
    """The answer to one query, best match first."""
    __slots__ = ('query_id', 'matches', 'confidence', 'needs_follow_up',
                 'category', 'category_inferred')

    def to_json(self):
        """The JSON line (no newline) `techmatch match --no-details` writes
        for it."""
        matches = []
        for m in self.matches:
            jm = {'rank': m.rank, 'kind': m.kind, 'id': m.id,
                  'score': _num(m.score), 'lexical_score': _num(m.lexical_score),
                  'dense_score': _num(m.dense_score),
                  'probability': _num(m.probability)}
            if m.explanation is not None:
                jm['explanation'] = _explanation_json(m.explanation)
            matches.append(jm)
        return json.dumps({'query_id': self.query_id,
                           'confidence': _num(self.confidence),
                           'needs_follow_up': self.needs_follow_up,
                           'category': self.category,
                           'category_inferred': self.category_inferred,
                           'matches': matches},
                          ensure_ascii=False, separators=(',', ':'))


def _num(v):
    """As the CLI writes a number: rounded half away from zero to 1e-6;
    NaN/Inf as null."""
    if not math.isfinite(v):
        return None
    scaled = v * 1e6
    r = math.floor(abs(scaled) + 0.5)
    return math.copysign(r, scaled) / 1e6


def _spans_json(spans):
    return [{'field': s.field, 'index': s.index, 'begin': s.begin, 'end': s.end}
            for s in spans]


def _explanation_json(e):
    return {'found_by': e.found_by, 'bias': _num(e.bias),
            'features': [{'name': f.name, 'value': _num(f.value),
                          'weight': _num(f.weight),
                          'contribution': _num(f.contribution)}
                         for f in e.features],
            'matched_terms': [{'text': t.text, 'kind': t.kind,
                               'contribution': _num(t.contribution),
                               'synonym_of': t.synonym_of,
                               'query_spans': _spans_json(t.query_spans),
                               'record_spans': _spans_json(t.record_spans)}
                              for t in e.matched_terms]}
