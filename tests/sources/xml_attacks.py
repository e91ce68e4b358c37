"""XML that attacks its parser: entity expansion (billion laughs, quadratic blow-up),
external entities that would read a local file, and nesting deeper than any stack.

Python's expat (2.4.1 and later; wattz runs on 2.5+) refuses amplified entity expansion
and ElementTree never fetches external entities, so the standard library is safe for
what the readers do and defusedxml is not needed; these documents keep it that way.
"""

from __future__ import annotations

from pathlib import Path

LAUGHS = 10


def billion_laughs(root: str) -> bytes:
    """Ten levels of ten entities each: 10^10 'lol's if expanded."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * LAUGHS}">' for n in range(1, LAUGHS)
    ]
    doctype = f"<!DOCTYPE {root} [{''.join(entities)}]>"
    return f'<?xml version="1.0"?>{doctype}<{root}><name>&lol{LAUGHS - 1};</name></{root}>'.encode()


def quadratic_blowup(root: str, size: int = 50_000) -> bytes:
    """One 50 kB entity referenced 50,000 times: 2.5 GB if expanded."""
    doctype = f'<!DOCTYPE {root} [<!ENTITY a "{"x" * size}">]>'
    return f"{doctype}<{root}><name>{'&a;' * size}</name></{root}>".encode()


def external_entity(root: str, secret: Path) -> bytes:
    """A document whose name would be the content of a local file if entities were fetched."""
    doctype = f'<!DOCTYPE {root} [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>'
    return f"{doctype}<{root}><name>&leak;</name></{root}>".encode()


def deeply_nested(root: str, depth: int = 20_000) -> bytes:
    """A document nested ``depth`` elements deep inside its root."""
    return f"<{root}>{'<a>' * depth}{'</a>' * depth}</{root}>".encode()
