#!/usr/bin/env python3
"""Draw the illustrations of the demonstration projects (content/medias/illustrations/*.svg).

Usage (from the repository root):

    python3 tools/illustrations.py

Each illustration is a small flat drawing (SVG, 640 x 360, a few kilobytes) made of simple
shapes, one per project listed in SCENES, with the alternative text written in the project's
front matter printed beside it. They are fictitious pictures drawn for the demonstration
catalogue, free of any third-party image. The output is deterministic: running the script again
rewrites the same bytes.
"""

from pathlib import Path

OUT = Path("content/medias/illustrations")
W, H = 640, 360

# Colours: a sky, a ground, and a few flat tones that read well together.
SKY = "#dce9f5"
GROUND = "#b9d7a8"
DARK = "#1b3a6b"
YELLOW = "#f5c400"
RED = "#c0392b"
ORANGE = "#e67e22"
GREEN = "#2e7d32"
BROWN = "#8d5a3b"
WHITE = "#ffffff"
GREY = "#7f8c8d"
PURPLE = "#7d3c98"
TEAL = "#138d90"


def rect(x, y, w, h, fill, rx=0):
    r = f' rx="{rx}"' if rx else ""
    return f'<rect x="{x}" y="{y}" width="{w}" height="{h}"{r} fill="{fill}"/>'


def circle(cx, cy, r, fill, stroke=None, width=0):
    s = f' stroke="{stroke}" stroke-width="{width}"' if stroke else ""
    return f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}"{s}/>'


def poly(points, fill):
    pts = " ".join(f"{x},{y}" for x, y in points)
    return f'<polygon points="{pts}" fill="{fill}"/>'


def line(x1, y1, x2, y2, stroke, width):
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{stroke}" '
        f'stroke-width="{width}" stroke-linecap="round"/>'
    )


def path(d, fill="none", stroke=None, width=0):
    s = f' stroke="{stroke}" stroke-width="{width}" stroke-linecap="round" stroke-linejoin="round"' if stroke else ""
    return f'<path d="{d}" fill="{fill}"{s}/>'


def landscape(ground=GROUND, sky=SKY, horizon=260):
    return [rect(0, 0, W, H, sky), rect(0, horizon, W, H - horizon, ground)]


def house(x, y, w, h, wall, roof, door=BROWN):
    return [
        rect(x, y, w, h, wall),
        poly([(x - 10, y), (x + w / 2, y - h * 0.6), (x + w + 10, y)], roof),
        rect(x + w / 2 - 10, y + h - 36, 20, 36, door),
        rect(x + 10, y + 14, 18, 16, WHITE),
    ]


def tree(x, y, size=1.0, leaves=GREEN):
    return [
        rect(x - 6 * size, y, 12 * size, 50 * size, BROWN),
        circle(x, y - 10 * size, 36 * size, leaves),
    ]


def person(x, y, body, head="#f0c8a0", scale=1.0):
    s = scale
    return [
        circle(x, y - 70 * s, 16 * s, head),
        path(f"M{x - 22 * s} {y}v-32a22 22 0 0 1 {44 * s} 0v32z", fill=body),
    ]


def wheel(cx, cy, r):
    return [circle(cx, cy, r, "none", DARK, 6), circle(cx, cy, 4, DARK)]


def van():
    out = landscape()
    out += house(60, 170, 90, 90, "#f3e5d0", RED)
    out += house(470, 180, 100, 80, "#f6f0e6", DARK)
    out += [
        rect(200, 180, 200, 90, WHITE, 10),
        path("M400 200h50l30 35v35h-80z", fill=TEAL),
        rect(415, 208, 30, 24, SKY),
        rect(215, 195, 50, 40, ORANGE, 4),
        rect(275, 195, 50, 40, ORANGE, 4),
        circle(232, 192, 9, GREEN), circle(250, 190, 9, RED), circle(292, 191, 9, GREEN),
        circle(310, 192, 9, YELLOW),
        circle(250, 275, 20, DARK), circle(430, 275, 20, DARK),
        circle(250, 275, 8, GREY), circle(430, 275, 8, GREY),
    ]
    return out


def bicycle():
    out = landscape(ground="#d5d8dc")
    out += wheel(220, 250, 60) + wheel(420, 250, 60)
    out += [
        path("M220 250l70-90h110l20 90M290 160l50 90h80M340 250l-50-90", stroke=RED, width=9),
        line(400, 160, 390, 130, DARK, 8), line(375, 128, 410, 128, DARK, 8),
        line(290, 160, 280, 140, DARK, 8), rect(262, 132, 40, 10, DARK, 5),
        # A wrench beside the bike.
        path("M520 110l70 70", stroke=GREY, width=14),
        circle(515, 105, 18, GREY), circle(515, 105, 8, "#d5d8dc"),
    ]
    return out


def lime_tree_houses():
    out = landscape()
    out += tree(320, 150, 1.6, "#6aa84f")
    out += house(90, 170, 110, 90, "#fbeee0", ORANGE)
    out += house(440, 170, 110, 90, "#eef5fb", TEAL)
    out += [rect(0, 256, W, 8, "#a3c28f"), circle(80, 60, 30, YELLOW)]
    return out


def laptop_class():
    out = [rect(0, 0, W, H, "#eaf2f8"), rect(0, 280, W, 80, "#c9b79c")]
    out += [
        rect(220, 110, 200, 130, DARK, 8), rect(232, 122, 176, 106, "#5dade2"),
        poly([(190, 250), (450, 250), (470, 270), (170, 270)], GREY),
        circle(320, 175, 20, WHITE), path("M300 205h40", stroke=WHITE, width=6),
    ]
    out += person(120, 280, PURPLE) + person(520, 280, GREEN)
    return out


def palette_and_music():
    out = [rect(0, 0, W, H, "#fdf2e9")]
    out += [
        path("M150 270c-70-20-80-130 10-170s190 0 200 70-40 60-70 50-40 30-20 50-60 20-120 0z", fill="#f0d9b5", stroke=BROWN, width=4),
        circle(170, 150, 16, RED), circle(220, 125, 16, YELLOW), circle(275, 135, 16, TEAL),
        circle(300, 185, 16, PURPLE), circle(160, 215, 16, GREEN),
        # Two quavers.
        path("M440 240v-130l90-20v130", stroke=DARK, width=8),
        path("M440 130l90-20", stroke=DARK, width=14),
    ]
    out += [circle(425, 245, 20, DARK), circle(515, 225, 20, DARK)]
    return out


def health_bus():
    out = landscape()
    out += tree(80, 200, 0.9) + tree(570, 200, 0.9)
    out += [
        rect(150, 150, 340, 120, WHITE, 16),
        rect(170, 170, 60, 40, SKY, 4), rect(250, 170, 60, 40, SKY, 4), rect(330, 170, 60, 40, SKY, 4),
        rect(410, 170, 60, 70, SKY, 4),
        rect(270, 222, 44, 14, RED), rect(285, 207, 14, 44, RED),
        circle(215, 272, 22, DARK), circle(425, 272, 22, DARK),
        circle(215, 272, 9, GREY), circle(425, 272, 9, GREY),
    ]
    return out


def recycling_shop():
    out = [rect(0, 0, W, 250, SKY), rect(0, 250, W, 110, "#aed6f1")]
    out += [path(f"M{x} 300q20-14 40 0t40 0", stroke=WHITE, width=5) for x in (40, 200, 360, 500)]
    out += [
        rect(200, 90, 240, 160, "#f6ead7"), rect(190, 80, 260, 18, BROWN),
        rect(215, 130, 210, 8, BROWN), rect(215, 190, 210, 8, BROWN),
        rect(230, 100, 30, 30, ORANGE), circle(300, 115, 15, TEAL), rect(340, 108, 60, 22, PURPLE, 4),
        rect(235, 160, 50, 30, GREEN, 4), poly([(330, 190), (355, 150), (380, 190)], RED),
        path("M520 120a40 40 0 1 1-40-40", stroke=GREEN, width=10), poly([(478, 66), (500, 80), (478, 94)], GREEN),
    ]
    return out


def cooperative_table():
    out = [rect(0, 0, W, H, "#f4ecf7"), rect(0, 290, W, 70, "#d7bde2")]
    out += person(170, 250, PURPLE) + person(320, 230, TEAL) + person(470, 250, ORANGE)
    out += [
        rect(110, 250, 420, 20, BROWN, 4), rect(140, 270, 14, 40, BROWN), rect(486, 270, 14, 40, BROWN),
        rect(280, 232, 80, 18, WHITE, 2), line(290, 241, 350, 241, GREY, 3),
    ]
    return out


def garden_rows():
    out = landscape(ground="#8d6e63", horizon=200)
    for i, y in enumerate((230, 280, 330)):
        out.append(rect(0, y - 8, W, 16, "#6d4c41"))
        for x in range(40 + i * 20, W, 80):
            out += [circle(x, y - 16, 14, GREEN), circle(x + 14, y - 20, 10, "#66bb6a")]
    out += [
        path("M470 120h70l20 50h-90z", fill=TEAL),
        path("M540 130l50-30", stroke=TEAL, width=10), path("M470 130c-30 0-30 40 0 40", stroke=TEAL, width=8),
        circle(90, 70, 30, YELLOW),
    ]
    return out


def idea_bubbles():
    out = [rect(0, 0, W, H, "#eafaf1")]
    out += [
        circle(320, 140, 60, YELLOW), rect(295, 195, 50, 34, GREY, 6),
        line(320, 50, 320, 30, ORANGE, 6), line(390, 75, 405, 60, ORANGE, 6), line(250, 75, 235, 60, ORANGE, 6),
        path("M80 120h120a20 20 0 0 1 20 20v50a20 20 0 0 1-20 20h-70l-30 25v-25h-20a20 20 0 0 1-20-20v-50a20 20 0 0 1 20-20z", fill=TEAL),
        path("M440 200h120a20 20 0 0 1 20 20v50a20 20 0 0 1-20 20h-20v25l-30-25h-70a20 20 0 0 1-20-20v-50a20 20 0 0 1 20-20z", fill=PURPLE),
    ]
    out += [line(100 + i * 30, 165, 115 + i * 30, 165, WHITE, 6) for i in range(3)]
    out += [line(460 + i * 30, 245, 475 + i * 30, 245, WHITE, 6) for i in range(3)]
    return out


def coffee_cups():
    out = [rect(0, 0, W, H, "#fbeee6"), rect(0, 270, W, 90, "#d7ccc8")]
    for x, colour in ((200, TEAL), (400, ORANGE)):
        out += [
            path(f"M{x - 60} 170h120l-12 100h-96z", fill=colour),
            path(f"M{x + 58} 190c40 0 40 50-6 50", stroke=colour, width=10),
            rect(x - 80, 268, 160, 10, WHITE, 5),
            path(f"M{x - 20} 150c-10-20 10-30 0-50M{x + 10} 150c-10-20 10-30 0-50", stroke=GREY, width=5),
        ]
    out.append(path("M300 110c-20-30-60-10-40 20l40 35 40-35c20-30-20-50-40-20z", fill=RED))
    return out


def village_shop():
    out = landscape()
    out += house(70, 180, 100, 80, "#f6f0e6", RED) + tree(560, 200, 0.9)
    out += [
        rect(230, 140, 220, 120, "#fdebd0"), rect(220, 125, 240, 22, DARK),
        *(rect(230 + i * 44, 147, 44, 18, YELLOW if i % 2 == 0 else WHITE) for i in range(5)),
        rect(250, 185, 70, 75, BROWN), rect(345, 185, 85, 50, SKY),
        # A key on the window.
        circle(372, 210, 12, "none", DARK, 5), path("M384 210h32v10M404 210v8", stroke=DARK, width=5),
    ]
    return out


# project slug -> (file name, drawing, alternative text)
SCENES = {
    "l-epicerie-roulante-de-thierache": ("epicerie-roulante.svg", van,
        "Dessin : une camionnette chargée de cagettes de fruits et légumes entre deux maisons de village"),
    "atelier-velo-solidaire-d-amiens": ("atelier-velo.svg", bicycle,
        "Dessin : un vélo rouge et une clé de réparation"),
    "habitat-inclusif-les-tilleuls": ("habitat-tilleuls.svg", lime_tree_houses,
        "Dessin : deux maisons de part et d'autre d'un grand tilleul, sous le soleil"),
    "la-fabrique-numerique-de-l-alma": ("fabrique-numerique.svg", laptop_class,
        "Dessin : deux personnes de part et d'autre d'un ordinateur portable ouvert"),
    "artistes-en-ehpad": ("artistes-ehpad.svg", palette_and_music,
        "Dessin : une palette de peintre aux couleurs vives et des notes de musique"),
    "bus-sante-du-sud-avesnois": ("bus-sante.svg", health_bus,
        "Dessin : un bus blanc marqué d'une croix rouge sur une route de campagne bordée d'arbres"),
    "la-ressourcerie-des-deux-baies": ("ressourcerie.svg", recycling_shop,
        "Dessin : des étagères d'objets de seconde main au bord de la mer, avec une flèche de recyclage"),
    "cooperative-d-entrepreneuses-du-beauvaisis": ("cooperative-entrepreneuses.svg", cooperative_table,
        "Dessin : trois personnes réunies autour d'une table de travail"),
    "les-jardins-de-flandre": ("jardins-flandre.svg", garden_rows,
        "Dessin : des rangs de légumes dans un potager et un arrosoir"),
    "la-fabrique-a-projets-jeunes-du-vimeu": ("fabrique-projets-jeunes.svg", idea_bubbles,
        "Dessin : une ampoule allumée entre deux bulles de discussion"),
    "les-cafes-des-aidants-de-l-aisne": ("cafes-aidants.svg", coffee_cups,
        "Dessin : deux tasses de café fumantes et un cœur rouge"),
    "conciergerie-solidaire-de-hirson": ("conciergerie-hirson.svg", village_shop,
        "Dessin : une boutique de village au store rayé, une clé dessinée sur sa vitrine"),
}


def svg(elements):
    body = "".join(elements)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}">'
        f"<!-- Illustration fictive du catalogue de démonstration (tools/illustrations.py). -->"
        f"{body}</svg>\n"
    )


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for slug, (name, draw, alt) in SCENES.items():
        data = svg(draw())
        (OUT / name).write_text(data, encoding="utf-8")
        print(f"{slug}\tmedias/illustrations/{name}\t{len(data.encode())} octets\t{alt}")


if __name__ == "__main__":
    main()
