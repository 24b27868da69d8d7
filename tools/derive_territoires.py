#!/usr/bin/env python3
"""Derive the compact territory tables embedded by amiris (src/territory) from the raw extracts.

Usage (from the repository root):

    python3 tools/derive_territoires.py [SOURCE_DIR]

SOURCE_DIR holds departements-32.json, communes-32.json and epci-32.json (extracts of the npm
package @etalab/decoupage-administratif); it defaults to ../shared/data/territoires. The tables
are written to data/territoires/ next to this script's parent directory, sorted, so that running
the script twice gives identical files. Standard library only.
"""

import json
import os
import sys
import unicodedata

REGION = "32"
EXPECTED_DEPARTMENTS = ["02", "59", "60", "62", "80"]
FORMER_TYPES = ("commune-deleguee", "commune-associee")
EPCI_KINDS = ("CC", "CA", "CU", "METRO")


def fail(message):
    """Stop with a message on standard error."""
    sys.stderr.write("derive_territoires: " + message + "\n")
    sys.exit(1)


def slugify(text):
    """ASCII lower-case slug, words joined by single hyphens (as amiris' text::slugify)."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    slug = []
    for ch in ascii_text:
        if ch.isascii() and ch.isalnum():
            slug.append(ch.lower())
        elif slug and slug[-1] != "-":
            slug.append("-")
    return "".join(slug).strip("-")


def field(value):
    """A TSV cell: refuses tabs and line breaks rather than silently corrupting the table."""
    text = str(value)
    if any(c in text for c in "\t\r\n"):
        fail("caractère interdit (tabulation ou saut de ligne) dans %r" % text)
    return text


def load(source, name):
    """Parse one JSON extract."""
    path = os.path.join(source, name)
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        fail("lecture de %s impossible : %s" % (path, error))


def write_tsv(path, header, rows):
    """Write a header line then the rows, tab-separated, LF line endings, UTF-8."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\t".join(header) + "\n")
        for row in rows:
            handle.write("\t".join(field(cell) for cell in row) + "\n")


def code_key(code):
    """Sort key for INSEE codes ("2A" sorts as text, which is what we want here)."""
    return (len(code), code)


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    source = argv[1] if len(argv) > 1 else os.path.join(root, "..", "shared", "data", "territoires")
    out = os.path.join(root, "data", "territoires")
    os.makedirs(out, exist_ok=True)

    departments = [d for d in load(source, "departements-32.json") if d.get("region") == REGION]
    communes = [c for c in load(source, "communes-32.json") if c.get("region") == REGION]
    epcis = load(source, "epci-32.json")

    # Departments.
    codes = sorted(d["code"] for d in departments)
    if codes != EXPECTED_DEPARTMENTS:
        fail("départements inattendus : %s" % codes)
    dep_rows = [(d["code"], d["nom"], slugify(d["nom"])) for d in departments]
    dep_rows.sort(key=lambda r: r[0])

    # Current communes, with the EPCI they belong to (from the EPCI member lists).
    current = {c["code"]: c for c in communes if c.get("type") == "commune-actuelle"}
    epci_of = {}
    for epci in epcis:
        for member in epci.get("membres", []):
            code = member["code"]
            if code in current:
                if code in epci_of:
                    fail("commune %s membre de deux EPCI" % code)
                epci_of[code] = epci["code"]
    commune_rows = []
    for code in sorted(current, key=code_key):
        c = current[code]
        if c["departement"] not in EXPECTED_DEPARTMENTS:
            fail("commune %s hors de la région" % code)
        postal = sorted(set(c.get("codesPostaux", [])))
        commune_rows.append(
            (
                code,
                c["nom"],
                c["departement"],
                epci_of.get(code, ""),
                ",".join(postal),
                int(c.get("population", 0)),
            )
        )

    # Delegated and associated communes, linked to their current commune by `chefLieu`.
    former_rows = []
    delegated_codes = set()
    for c in communes:
        if c.get("type") not in FORMER_TYPES:
            continue
        parent = c.get("chefLieu", "")
        if parent not in current:
            fail("commune %s rattachée à %r, qui n'est pas une commune actuelle" % (c["code"], parent))
        delegated_codes.add(c["code"])
        former_rows.append((c["code"], c["nom"], c["type"], parent))
    former_rows.sort(key=lambda r: (code_key(r[0]), r[2], r[1]))

    # Codes that disappeared in a merger without a delegated commune (`anciensCodes`).
    absorbed_rows = set()
    for code, c in current.items():
        for old in c.get("anciensCodes", []):
            if old not in current and old not in delegated_codes:
                absorbed_rows.add((old, code))
    absorbed_rows = sorted(absorbed_rows, key=lambda r: (code_key(r[0]), code_key(r[1])))
    seen = set()
    for old, _ in absorbed_rows:
        if old in seen:
            fail("ancien code %s rattaché à deux communes" % old)
        seen.add(old)

    # EPCI with at least one member commune in the region.
    epci_rows = []
    for epci in epcis:
        if epci.get("type") not in EPCI_KINDS:
            fail("EPCI %s de type inconnu %r" % (epci.get("code"), epci.get("type")))
        members = sorted(
            {m["code"] for m in epci.get("membres", []) if m["code"] in current}, key=code_key
        )
        if members:
            epci_rows.append((epci["code"], epci["nom"], epci["type"], ",".join(members)))
    epci_rows.sort(key=lambda r: r[0])

    write_tsv(os.path.join(out, "departements.tsv"), ("code", "nom", "slug"), dep_rows)
    write_tsv(
        os.path.join(out, "communes.tsv"),
        ("code", "nom", "departement", "epci", "codes_postaux", "population"),
        commune_rows,
    )
    write_tsv(
        os.path.join(out, "anciennes-communes.tsv"),
        ("code", "nom", "type", "commune_actuelle"),
        former_rows,
    )
    write_tsv(
        os.path.join(out, "codes-absorbes.tsv"), ("code", "commune_actuelle"), absorbed_rows
    )
    write_tsv(os.path.join(out, "epci.tsv"), ("siren", "nom", "type", "communes"), epci_rows)
    print(
        "%d départements, %d communes actuelles, %d communes déléguées ou associées, "
        "%d anciens codes absorbés, %d EPCI -> %s"
        % (len(dep_rows), len(commune_rows), len(former_rows), len(absorbed_rows), len(epci_rows), out)
    )


if __name__ == "__main__":
    main(sys.argv)
