"""Build data/world/countries_110m.geojson from world-atlas's countries-110m.json.

MAINTAINER TOOL, not a runtime dependency: the dashboard only reads the
committed GeoJSON. This script needs `pycountry`, which is deliberately NOT in
pyproject.toml; run it from a throwaway venv:

    python -m venv /tmp/geo && /tmp/geo/bin/pip install pycountry
    (cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz)
    /tmp/geo/bin/python scripts/build_world_geojson.py \
        /tmp/package/countries-110m.json data/world/countries_110m.geojson

It decodes the TopoJSON by hand (quantized, delta-encoded arcs), maps the
ISO 3166-1 numeric ids to alpha-3 codes, gives Kosovo "XKX" (UNODC's code),
drops features it cannot identify, rounds coordinates to 3 decimals and
drops degenerate rings (< 4 positions; one zero-area ring in North Korea's source geometry).
Ring winding is kept as world-atlas has it (d3-geo convention: exterior rings
clockwise), which is what plotly.js's d3-based geo subplots draw correctly.
See data/world/PROVENANCE.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pycountry

# Features with no (or a non-standard) numeric id in world-atlas, by name.
EXTRA_CODES = {"Kosovo": ("XKX", "Kosovo")}
DECIMALS = 3


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Return every arc as absolute [lon, lat] points."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x, y = x + dx, y + dy  # arcs are delta-encoded when quantized
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def ring(arc_ids: list[int], arcs: list) -> list[list[float]] | None:
    """Stitch a ring from arc indices (~i means arc i reversed), round, dedupe."""
    points: list[tuple[float, float]] = []
    for i in arc_ids:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(pts if not points else pts[1:])  # shared end points
    out: list[list[float]] = []
    for x, y in points:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or p != out[-1]:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None  # a closed ring needs 4 positions


def polygon(rings: list[list[int]], arcs: list) -> list | None:
    decoded = [ring(r, arcs) for r in rings]
    if decoded[0] is None:  # exterior collapsed by rounding: drop polygon
        return None
    return [r for r in decoded if r is not None]


def geometry(geom: dict, arcs: list) -> dict | None:
    if geom["type"] == "Polygon":
        poly = polygon(geom["arcs"], arcs)
        return {"type": "Polygon", "coordinates": poly} if poly else None
    if geom["type"] == "MultiPolygon":
        polys = [p for p in (polygon(g, arcs) for g in geom["arcs"]) if p]
        if not polys:
            return None
        if len(polys) == 1:
            return {"type": "Polygon", "coordinates": polys[0]}
        return {"type": "MultiPolygon", "coordinates": polys}
    raise ValueError(f"unexpected geometry type {geom['type']}")


def identify(geom: dict) -> tuple[str, str] | None:
    """Return (alpha-3, display name) or None if the feature can't be identified."""
    source_name = geom.get("properties", {}).get("name", "")
    numeric = geom.get("id")
    country = pycountry.countries.get(numeric=str(numeric)) if numeric else None
    if country is not None:
        return country.alpha_3, getattr(country, "common_name", None) or country.name
    return EXTRA_CODES.get(source_name)


def build(topology: dict) -> tuple[dict, list[str]]:
    arcs = decode_arcs(topology)
    features, dropped, seen = [], [], set()
    for geom in topology["objects"]["countries"]["geometries"]:
        label = f"{geom.get('properties', {}).get('name')!r} (id={geom.get('id')!r})"
        ident = identify(geom)
        shape = geometry(geom, arcs) if ident else None
        if ident is None or shape is None or ident[0] in seen:
            dropped.append(label)
            continue
        iso3, name = ident
        seen.add(iso3)
        features.append(
            {
                "type": "Feature",
                "id": iso3,
                "properties": {"iso3": iso3, "name": name},
                "geometry": shape,
            }
        )
    features.sort(key=lambda f: f["id"])
    return {"type": "FeatureCollection", "features": features}, dropped


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("topojson", type=Path, help="path to world-atlas countries-110m.json")
    ap.add_argument(
        "output", type=Path, nargs="?", default=Path("data/world/countries_110m.geojson")
    )
    args = ap.parse_args(argv)
    collection, dropped = build(json.loads(args.topojson.read_text(encoding="utf-8")))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(
        f"wrote {args.output}: {len(collection['features'])} features, "
        f"{args.output.stat().st_size} bytes"
    )
    for label in dropped:
        print(f"dropped: {label}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
