"""Generated news articles about people changing jobs, for benchmarks and crash tests.

Each article is built from sentences drawn at random from many short templates, with names,
organizations, roles, cities and numbers filled in, so that no two articles are near-duplicates of
each other. Every article states one move, in one of several phrasings.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

FIRST = ("Ana", "Bilal", "Chen", "Dara", "Elif", "Farid", "Greta", "Hiro", "Ilse", "Jonas", "Kemi", "Luca", "Mira",
         "Nikhil", "Oona", "Pavel", "Quinn", "Rosa", "Sami", "Tove", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zora")
LAST = ("Abara", "Berglund", "Castell", "Dimitrov", "Eze", "Fontaine", "Gallo", "Haddad", "Ivers", "Jovanovic",
        "Kaur", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrakis", "Quispe", "Rahman", "Sato", "Tanaka",
        "Ueda", "Varga", "Wojcik", "Xu", "Yilmaz", "Zeller")
ORGS = ("Acme Robotics", "Brightline AI", "Cobalt Labs", "Driftwood Systems", "Emberly", "Fathom Compute",
        "Granite Vision", "Halcyon Data", "Ironleaf", "Juniper Dynamics", "Kestrel Semantics", "Lattice Forge",
        "Meridian Learning", "Northwind Models", "Orchard Neural", "Parallax Health")
ROLES = ("research scientist", "engineering director", "head of product", "staff engineer", "vice president of data",
         "principal researcher", "chief technology officer", "general counsel")
CITIES = ("Lisbon", "Toronto", "Nairobi", "Osaka", "Denver", "Krakow", "Lyon", "Austin", "Bergen", "Hobart")
TOPICS = ("speech models", "robot grasping", "chip compilers", "search ranking", "protein design", "ad auctions",
          "code assistants", "weather forecasts", "fraud detection", "battery chemistry")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

MOVES = (
    "{person}, a {role} at {old}, has joined {new}, the company said on {day}.",
    "{new} has hired {person} from {old} to lead work on {topic}.",
    "{person} left {old} in {month} after {years} years and is moving to {new}.",
    "Former {old} {role} {person} joined {new} this week.",
)
FILLER = (
    "{new} opened an office in {city} last year and employs about {n} people there.",
    "{surname} spent {years} years on {topic} before the switch, colleagues said.",
    "Analysts in {city} expect {new} to announce {n2} more hires before {month}.",
    "{old} shares fell {pct} percent on {day} while the wider index rose.",
    "The team at {new} works mostly on {topic} and {topic2}.",
    "A spokesperson for {old} declined to comment on staffing in {city}.",
    "Recruiters say offers for {topic} specialists have grown by {pct} percent since {month}.",
    "{surname} studied in {city} and published {n2} papers on {topic2}.",
    "Revenue at {new} reached {n} million dollars in the quarter to {month}.",
    "Investors from {city} led the latest round, which valued {new} at {n2} billion dollars.",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October")


def article(rng: random.Random, number: int) -> dict[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    old, new = rng.sample(ORGS, 2)
    topic, topic2 = rng.sample(TOPICS, 2)
    slots = {"person": f"{first} {last}", "surname": last, "old": old, "new": new, "role": rng.choice(ROLES),
             "day": rng.choice(DAYS), "month": rng.choice(MONTHS), "years": rng.randint(2, 12),
             "topic": topic, "topic2": topic2}
    sentences = [rng.choice(MOVES)]
    sentences += rng.sample(FILLER, rng.randint(5, 8))
    paragraphs = []
    for template in sentences:
        slots.update(city=rng.choice(CITIES), n=rng.randint(20, 900), n2=rng.randint(2, 40), pct=rng.randint(1, 30))
        paragraphs.append(template.format(**slots))
    month = rng.randint(1, 12)
    return {"id": f"gen-{number}", "text": "\n\n".join(paragraphs), "url": f"https://news.example/{number}",
            "published": f"2025-{month:02d}-{rng.randint(1, 28):02d}"}


def articles(count: int, seed: int = 7) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    for number in range(count):
        yield article(rng, number)


def write_jsonl(path: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` articles to a JSON Lines file, one at a time; returns the number of words."""
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in articles(count, seed):
            words += len(record["text"].split())
            handle.write(json.dumps(record) + "\n")
    return words
