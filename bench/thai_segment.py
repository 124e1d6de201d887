"""Compare Thai word segmenters for wrapping okrtool's tables: broken words, speed, size.

The texts are every Thai title and name shipped in ``data/`` (``title_th``, ``name_th``,
``objective_th``, ``unit_th`` of agencies, zones, groups, dimensions, policies, OKRs, key results
and activities). Each candidate runs in a fresh interpreter (its own venv if given), so the times
are those of a first use in a new process, as in ``okrtool status``:

- **breaks**: for each text, the places the segmenter would let a line break;
- **wrong breaks**, counted three ways: *mid-syllable* (before a following vowel or a tone mark,
  or after a leading vowel: "สัปด|าห์" can never be right), *inside a word* (inside one of the
  words listed in WORDS below, which a Thai reader keeps on one line: "มาตรฐาน", "ล่อแหลม",
  "เป้าหมาย", "สำนัก"), and *inside a place name* (a district or zone: "บาง|รัก");
- **import** and **first** segmentation, milliseconds (median of ``--runs`` fresh processes);
- **size**: the installed files of the distribution (its RECORD), MB;
- **network**: connection attempts during import and segmentation (sockets are refused in the
  child and counted), and files written under a fresh ``$HOME`` (nothing may be downloaded or
  unpacked at run time).

``--wheels`` asks PyPI (``pip download --no-deps --only-binary=:all:``) whether each candidate has
a wheel for CPython 3.11-3.13 on Linux x86_64 and aarch64: a compiler must never be needed.

Usage::

    python bench/thai_segment.py [--runs 5] [--python NAME=/venv/bin/python ...]
        [--nlpo3-dict words_th.txt] [--only NAME ...] [--wheels] [--show]

Candidates not importable by their interpreter are reported as "not installed". nlpo3 ships no
dictionary (``load_dict`` wants a file): measure it with ``--nlpo3-dict`` pointing at one, e.g.
pythainlp's ``corpus/words_th.txt``.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
KEYS = ("title_th", "name_th", "objective_th", "unit_th")

#: Words (and set phrases) of the shipped titles that a Thai reader keeps on one line. A break
#: inside one is a broken word; a break between two of them is not.
WORDS = """
สำนัก สำนักงาน สิ่งแวดล้อม สังคม เงื่อนไข หมู่บ้าน หน่วยงาน สัปดาห์ มาตรฐาน ล่อแหลม เป้าหมาย
ร้อยละ งบประมาณ ได้รับ โรงพยาบาล เครือข่าย ร้องเรียน พื้นฐาน อย่างน้อย สาธารณะ สาธารณสุข
ส่วนกลาง ยกระดับ ปลอดภัย กรุงเทพมหานคร ผู้อำนวยการ เจ้าหน้าที่ คณะกรรมการ ข้าราชการ ยุทธศาสตร์
ภารกิจ คุณภาพ โครงสร้าง ระเบียบ เรียบร้อย ท่องเที่ยว วัฒนธรรม สวัสดิการ สุขาภิบาล เทศกิจ จราจร
ปกครอง ทะเบียน บริการ บริหาร ปฐมภูมิ เส้นทาง ทางเท้า ต้นแบบ ปรับปรุง ติดตั้ง ส่องสว่าง ไฟฟ้า
แก้ไข นิติบุคคล ยืนต้น บำรุงรักษา มูลฝอย จัดสรร ตกค้าง รายจ่าย ประชาชน โครงการ กิจกรรม นโยบาย
ชุมชน ศึกษา พัฒนา ประเมิน ปริมาณ จำนวน ติดตาม รายงาน ประชุม ผู้บริหาร เพาะชำ วัชพืช ชำรุด สสล.
กทม.
""".split()  # noqa: SIM905 (a list literal of 80 words reads worse)

#: A break before one of these (a following vowel, a vowel above or below, a tone mark) or
#: after a leading vowel is inside a syllable.
_FOLLOWING = {chr(c) for c in [*range(0x0E30, 0x0E3B), 0x0E45, *range(0x0E47, 0x0E4F)]}
_LEADING = {chr(c) for c in range(0x0E40, 0x0E45)}

# Each candidate: (distribution, setup code defining `segment(text) -> list[str]`).
CANDIDATES: dict[str, tuple[str, str]] = {
    "pythainlp-newmm": (
        "pythainlp",
        "from pythainlp.tokenize import word_tokenize\n"
        "def segment(t): return word_tokenize(t, engine='newmm', keep_whitespace=True)",
    ),
    "nlpo3": (
        "nlpo3",
        "import nlpo3, os\n"
        "nlpo3.load_dict(os.environ['NLPO3_DICT'], 'th')\n"
        "def segment(t): return nlpo3.segment(t, 'th')",
    ),
    "icu4py-line": (
        "icu4py",
        "from icu4py.breakers import LineBreaker\n"
        "def segment(t): return list(LineBreaker(t, 'th'))",
    ),
    "pyicu-wheels-word": (
        "pyicu-wheels",
        "import icu\n"
        "_bi = icu.BreakIterator.createWordInstance(icu.Locale('th'))\n"
        "def segment(t):\n"
        "    _bi.setText(t); out, a = [], _bi.first()\n"
        "    for b in _bi: out.append(t[a:b]); a = b\n"
        "    return out",
    ),
}

# Runs in the candidate's interpreter: sockets refused and counted, $HOME fresh.
CHILD = r"""
import json, os, socket, sys, time
attempts = []
def _refuse(*a, **k):
    attempts.append(repr(a[:2]))
    raise OSError("network refused by bench/thai_segment.py")
socket.socket.connect = _refuse
socket.create_connection = _refuse
given = json.loads(sys.stdin.read())
texts, runs = given["texts"], given["runs"]
t0 = time.perf_counter()
try:
    exec(os.environ["SETUP"])
except ImportError as exc:
    print(json.dumps({"missing": str(exc)})); sys.exit(0)
t1 = time.perf_counter()
first = segment(texts[0])
t2 = time.perf_counter()
segs = [segment(t) for t in texts]
t3 = time.perf_counter()
run_segs = [segment(r) for r in runs]
size = None
try:
    from importlib.metadata import distribution
    dist = distribution(os.environ["DIST"])
    size = sum(f.locate().stat().st_size for f in dist.files or [] if f.locate().exists())
except Exception:
    pass
home = os.environ["HOME"]
written = [os.path.relpath(os.path.join(d, f), home) for d, _, fs in os.walk(home) for f in fs]
written += [os.path.relpath(d, home) + "/" for d, ds, fs in os.walk(home)
            if d != home and not ds and not fs]
print(json.dumps({"import_ms": (t1 - t0) * 1e3, "first_ms": (t2 - t1) * 1e3,
                  "all_ms": (t3 - t2) * 1e3, "segs": segs, "run_segs": run_segs, "size": size,
                  "attempts": attempts, "written": sorted(written)}, ensure_ascii=False))
"""

PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_28_aarch64")
#: Column widths of the comparison by wrapping: a title column at 60, 80, 100 and 120 columns.
WIDTHS = (12, 16, 20, 27, 40)
PYTHONS = ("3.11", "3.12", "3.13")


def shipped_texts() -> list[str]:
    """Every Thai title and name in data/, once each, in file order."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in KEYS and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted(DATA.rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return list(dict.fromkeys(found))


def place_names() -> list[str]:
    """District and zone names: proper nouns, never to be broken."""
    names = []
    for file, key in (("districts.yaml", "districts"), ("zones.yaml", "zones")):
        doc = yaml.safe_load((DATA / "agencies" / file).read_text(encoding="utf-8"))
        names += [item["name_th"] for item in doc[key]]
    return names


def breaks(pieces: list[str]) -> set[int]:
    """Offsets between pieces where a line may break (not at a space: that is always right)."""
    out, end = set(), 0
    for piece in pieces[:-1]:
        end += len(piece)
        out.add(end)
    return out


def inside(text: str, at: set[int], words: list[str]) -> list[str]:
    """The words of ``words`` found in ``text`` with a break strictly inside them."""
    hits = []
    for word in words:
        start = text.find(word)
        while start >= 0:
            if any(start < b < start + len(word) for b in at):
                hits.append(word)
            start = text.find(word, start + 1)
    return hits


def mid_syllable(text: str, at: set[int]) -> list[int]:
    """The breaks in ``at`` that fall inside a syllable."""
    return [b for b in at if text[b] in _FOLLOWING or text[b - 1] in _LEADING]


def thai_runs(texts: list[str]) -> list[str]:
    """The space-free runs holding Thai, as okrtool's wrap hands them to the segmenter."""
    thai = re.compile("[\u0e00-\u0e7f]")
    return sorted({w for t in texts for w in t.split() if thai.search(w)})


def line_breaks(text: str, lines: list[str]) -> set[int]:
    """Where ``lines`` (``text`` wrapped) break ``text`` other than at a space."""
    out, at = set(), 0
    for line in lines[:-1]:
        line = line.strip()
        at = text.index(line, at) + len(line)
        if at < len(text) and text[at] != " " and text[at - 1] != " ":
            out.add(at)
    return out


def wrapped(texts: list[str], wrap_with, places: list[str]) -> str:
    """Broken words when every text is wrapped at each of WIDTHS (words, places, mid-syllable)."""
    counts = []
    for width in WIDTHS:
        words = place = mid = 0
        for text in texts:
            at = line_breaks(text, wrap_with(text, width))
            words += len(inside(text, at, WORDS))
            place += len(inside(text, at, places))
            mid += len(mid_syllable(text, at))
        counts.append(f"{words:>3} {place:>2} {mid:>3}")
    return " | ".join(counts)


def rich_wrap(text: str, width: int) -> list[str]:
    """What okrtool did before: rich wraps at spaces and folds a long run by cells."""
    from rich.console import Console
    from rich.text import Text

    console = Console(width=width, file=io.StringIO())
    return [line.plain for line in Text(text).wrap(console, width, overflow="fold")]


def okrtool_wrap(run_segs: dict[str, list[str]]):
    """okrtool's own wrap, with the Thai words of one candidate."""
    from okrtool.render import thaiwrap

    def breaks(run: str) -> tuple[int, ...]:
        offsets, end = [], 0
        for piece in run_segs[run][:-1]:
            end += len(piece)
            if thaiwrap._is_thai(run[end - 1]) and thaiwrap._is_thai(run[end]):
                offsets.append(end)
        return tuple(offsets)

    def wrap(text: str, width: int) -> list[str]:
        thaiwrap._breaks = breaks
        try:
            return thaiwrap.wrap(text, width)
        finally:
            thaiwrap._breaks = original

    original = thaiwrap._breaks
    return wrap


def run_candidate(name: str, python: str, texts: list[str], runs: int, nlpo3_dict: str) -> dict:
    dist, setup = CANDIDATES[name]
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = {"PATH": "/usr/bin:/bin", "HOME": home, "SETUP": setup, "DIST": dist}
            env["NLPO3_DICT"] = nlpo3_dict
            proc = subprocess.run(
                [python, "-c", CHILD],
                input=json.dumps({"texts": texts, "runs": thai_runs(texts)}),
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
        if proc.returncode:
            return {"error": proc.stderr.strip().splitlines()[-1]}
        result = json.loads(proc.stdout)
        if "missing" in result:
            return result
        results.append(result)
    last = results[-1]
    last["import_ms"] = statistics.median(r["import_ms"] for r in results)
    last["first_ms"] = statistics.median(r["first_ms"] for r in results)
    last["all_ms"] = statistics.median(r["all_ms"] for r in results)
    return last


def wheels(dist: str) -> str:
    """Which of PYTHONS x PLATFORMS pip finds a wheel for."""
    have = []
    for py in PYTHONS:
        for plat in PLATFORMS:
            with tempfile.TemporaryDirectory() as into:
                proc = subprocess.run(
                    [sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                     "--only-binary=:all:", "--platform", plat, "--python-version", py,
                     "-d", into, dist],
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                files = list(Path(into).glob("*.whl"))
            tag = f"{py}/{plat.rsplit('_', 1)[-1] if 'aarch64' in plat else 'x86_64'}"
            have.append(f"{tag}:{'yes' if proc.returncode == 0 and files else 'NO'}")
    return " ".join(have)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--python", action="append", default=[], metavar="NAME=PATH")
    ap.add_argument("--nlpo3-dict", default="")
    ap.add_argument("--wheels", action="store_true", help="ask PyPI for wheels (network)")
    ap.add_argument("--show", action="store_true", help="print every text as segmented")
    ap.add_argument("--only", action="append", choices=sorted(CANDIDATES), help="these alone")
    args = ap.parse_args(argv)
    pythons = dict(p.split("=", 1) for p in args.python)
    texts = shipped_texts()
    places = place_names()
    print(f"{len(texts)} distinct Thai titles and names from {DATA.relative_to(ROOT)}/")
    print(
        f"{'candidate':<18} {'breaks':>6} {'mid-syl':>7} {'in word':>7} {'in place':>8} "
        f"{'import ms':>9} {'first ms':>8} {'all ms':>6} {'MB':>5}  network / files written"
    )
    shown: dict[str, list[list[str]]] = {}
    wrappers = {"rich fold (before)": rich_wrap}
    chosen = args.only or list(CANDIDATES)
    for name in chosen:
        result = run_candidate(
            name, pythons.get(name, sys.executable), texts, args.runs, args.nlpo3_dict
        )
        if "missing" in result or "error" in result:
            print(f"{name:<18} not installed or failed: {result.get('missing') or result['error']}")
            continue
        segs = result["segs"]
        shown[name] = segs
        runs = thai_runs(texts)
        wrappers[name] = okrtool_wrap(dict(zip(runs, result["run_segs"], strict=True)))
        at = [breaks(s) for s in segs]
        total = sum(len(b) for b in at)
        mid = sum(len(mid_syllable(t, b)) for t, b in zip(texts, at, strict=True))
        in_word = [w for t, b in zip(texts, at, strict=True) for w in inside(t, b, WORDS)]
        in_place = [w for t, b in zip(texts, at, strict=True) for w in inside(t, b, places)]
        size = f"{result['size'] / 1e6:5.1f}" if result["size"] else "    ?"
        net = f"{len(result['attempts'])} attempts; {', '.join(result['written']) or 'none'}"
        print(
            f"{name:<18} {total:>6} {mid:>7} {len(in_word):>7} {len(in_place):>8} "
            f"{result['import_ms']:>9.0f} {result['first_ms']:>8.0f} {result['all_ms']:>6.0f} "
            f"{size}  {net}"
        )
        if in_word:
            print(f"{'':<18} broken words: {', '.join(sorted(set(in_word)))}")
    print()
    print(f"Every text wrapped at widths {', '.join(map(str, WIDTHS))}: broken words, broken place")
    print("names, breaks inside a syllable (okrtool's wrap, with each candidate's Thai words):")
    for name, wrap_with in wrappers.items():
        print(f"{name:<18} {wrapped(texts, wrap_with, places)}")
    if args.show:
        for i in range(len(texts)):
            print()
            for name, segs in shown.items():
                print(f"{name:<18} {'|'.join(segs[i])}")
    if args.wheels:
        print()
        for name in chosen:
            print(f"{name:<18} {CANDIDATES[name][0]}: {wheels(CANDIDATES[name][0])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
