"""The world's country shapes for the map: read from the GeoJSON file, simplified to what a
1600 px map can show, and each country's label point."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path


def read_geojson(path: str | Path, *, tolerance: float = 0.0) -> dict:
    """The world's country shapes (features with id = ISO3).

    ``tolerance`` (degrees) simplifies every ring for drawing (``simplify_geojson``); the file
    itself stays as published.
    """
    geojson = json.loads(Path(path).read_text(encoding="utf-8"))
    return simplify_geojson(geojson, tolerance) if tolerance > 0 else geojson


# A 1600 px wide map spans about 360 degrees of longitude, 0.22 degrees a pixel: a point less
# than a pixel from the line through its neighbours, or a hundredth of a degree, cannot be seen.
# Simplified so, the shapes are half the JSON every visitor's browser receives and draws.
MAP_TOLERANCE = 0.2
MAP_DECIMALS = 2


def _simplify_line(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker: the fewest points whose line stays within ``tolerance`` of all."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = first, -1.0
        for i in range(first + 1, last):
            px, py = points[i]
            d = (abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length if length
                 else math.hypot(px - x1, py - y1))
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack.extend(((first, farthest), (farthest, last)))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _rounded(ring: list[list[float]]) -> list[list[float]]:
    """A ring with coordinates rounded to MAP_DECIMALS and repeated points dropped."""
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, MAP_DECIMALS), round(y, MAP_DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]] | None:
    """A closed ring simplified; None when it shrinks below a triangle (too small to see)."""
    if len(ring) < 5:
        return _rounded(ring)
    # Split a closed ring at its farthest point from the start, so both halves are lines.
    start = ring[0]
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - start[0],
                                                         ring[i][1] - start[1]))
    half = _simplify_line(ring[: far + 1], tolerance)
    rest = _simplify_line(ring[far:], tolerance)
    simplified = _rounded(half[:-1] + rest)
    return simplified if len(simplified) >= 4 else None


def simplify_geojson(geojson: dict, tolerance: float = MAP_TOLERANCE) -> dict:
    """Country shapes with every ring simplified to what the map can show at 1600 px.

    A country's first (largest) polygon is always kept, so no country disappears; smaller
    islands and holes that shrink below a triangle are dropped.
    """
    features = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        kind = geometry.get("type")
        polygons = ([geometry["coordinates"]] if kind == "Polygon"
                    else geometry.get("coordinates", []) if kind == "MultiPolygon" else None)
        if polygons is None:
            features.append(feature)
            continue
        kept = []
        for index, polygon in enumerate(polygons):
            rings = [_simplify_ring(ring, tolerance) for ring in polygon]
            if rings and rings[0] is None:
                if index or kept:
                    continue
                rings[0] = _rounded(polygon[0])  # never lose a whole country
            kept.append([r for r in rings if r is not None])
        new_geometry = ({"type": "Polygon", "coordinates": kept[0]} if len(kept) == 1
                        else {"type": "MultiPolygon", "coordinates": kept})
        features.append({**feature, "geometry": new_geometry})
    return {**geojson, "features": features}


def _ring_centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """Centre and bounding-box area of one polygon ring (good enough to place a label)."""
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    area = (max(xs) - min(xs)) * (max(ys) - min(ys))
    return (sum(xs) / len(xs), sum(ys) / len(ys), area)


_CENTROIDS: dict[int, tuple[dict, dict[str, tuple[float, float, float]]]] = {}


def _centroids_of(geojson: dict) -> dict[str, tuple[float, float, float]]:
    centres = {}
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        polygons = (
            [geometry["coordinates"]] if geometry.get("type") == "Polygon"
            else geometry.get("coordinates", [])
        )
        best = None
        for polygon in polygons:
            if polygon and polygon[0]:
                candidate = _ring_centroid(polygon[0])
                if best is None or candidate[2] > best[2]:
                    best = candidate
        if best is not None:
            centres[str(feature.get("id"))] = best
    return centres


def centroids(geojson: dict) -> dict[str, tuple[float, float, float]]:
    """ISO3 → (lon, lat, size) of each country's largest polygon (remembered per object: the
    pages pass the same cached GeoJSON every time)."""
    cached = _CENTROIDS.get(id(geojson))
    if cached is not None and cached[0] is geojson:
        return cached[1]
    centres = _centroids_of(geojson)
    if len(_CENTROIDS) > 8:
        _CENTROIDS.clear()
    _CENTROIDS[id(geojson)] = (geojson, centres)
    return centres
