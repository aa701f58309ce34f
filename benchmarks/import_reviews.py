"""Benchmark: import a 100,000-row review csv, then import it again (idempotent re-run).

    .venv/bin/python benchmarks/import_reviews.py [--rows 100000] [--chunk-size 2000]
                                                  [--encoding utf-8-sig|gb18030] [--profile]

Generates a realistic file (Chinese texts, 16-digit ids, 1-3 items per order, ~10% neutral/bad)
in a temporary directory, migrates a fresh SQLite database under a temporary REVIEWDESK_VAR_DIR,
and prints rows/s and peak memory (ru_maxrss: the whole process, Django included). It also
prints CPU seconds, which stay meaningful on a busy machine where wall time does not. With
--profile it prints the top functions of the first import (SORT=tottime to sort by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

CONTENT_GOOD = [
    "围巾很暖和，颜色也正，物流很快",
    "质量很好，和描述一致，下次还来",
    "面料舒服，做工精细，性价比高",
    "包装很用心，送人很有面子",
    "客服态度很好，耐心解答问题",
]
CONTENT_BAD = [
    "披肩掉毛严重，穿一次毛衣上全是毛，和描述不符",
    "颜色和图片差太多，偏暗，退货还要自己出运费",
    "发错颜色了，联系客服半天没人回",
    "快递太慢了，等了一个星期才到，包装还破了",
    "尺码偏小，洗了一次就缩水起球",
]
TITLES = [
    "加厚羊毛围巾 秋冬保暖",
    "羊绒混纺披肩 两色可选",
    "纯棉袜子 5 双装",
    "真丝连衣裙 夏季新款",
]
HEADER = [
    "订单编号",
    "子订单编号",
    "买家昵称",
    "评价结果",
    "评价时间",
    "评价内容",
    "宝贝标题",
    "商品ID",
]


def generate(path: Path, rows: int, encoding: str, seed: int = 20261120) -> None:
    rng = random.Random(seed)
    tid = 3028689418000000
    written = 0
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        while written < rows:
            tid += rng.randint(1, 50)
            nick = (
                f"{rng.choice('tbkxyz')}**{rng.choice('小白快乐幸福冬天')}{rng.randint(1, 99999)}"
            )
            items = min(rng.choice((1, 1, 1, 2, 3)), rows - written)
            for n in range(items):
                oid = tid if items == 1 else tid * 10 + n  # never another order's tid
                roll = rng.random()
                result = "差评" if roll < 0.06 else "中评" if roll < 0.10 else "好评"
                content = rng.choice(CONTENT_BAD if result != "好评" else CONTENT_GOOD)
                day, minute = rng.randint(1, 28), rng.randint(0, 1439)
                rated = f"2026-11-{day:02d} {minute // 60:02d}:{minute % 60:02d}:00"
                title = rng.choice(TITLES)
                writer.writerow(
                    [
                        tid,
                        oid,
                        nick,
                        result,
                        rated,
                        content,
                        title,
                        673421987654 + TITLES.index(title),
                    ]
                )
                written += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--chunk-size", type=int, default=2_000)
    parser.add_argument("--encoding", default="utf-8-sig", choices=["utf-8-sig", "gb18030"])
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="reviewdesk-bench-") as tmp:
        os.environ["REVIEWDESK_VAR_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reviewdesk.settings")
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        import django

        django.setup()
        from django.core.management import call_command

        from reviewdesk.cases.models import Case
        from reviewdesk.platforms.files.importer import file_import
        from reviewdesk.platforms.files.kinds import REVIEWS
        from reviewdesk.reviews.models import Review
        from reviewdesk.shops.models import Role
        from reviewdesk.shops.services import membership_grant, shop_create, user_create

        call_command("migrate", verbosity=0)
        shop = shop_create(slug="bench", name="压测旗舰店", platform="taobao")
        for name in ("kefu1", "kefu2", "kefu3"):
            user = user_create(username=name, password="pw-" + name)
            membership_grant(user=user, shop=shop, role=Role.AGENT)

        path = Path(tmp) / "评价-100k.csv"
        started = time.perf_counter()
        generate(path, args.rows, args.encoding)
        size_mb = path.stat().st_size / 1e6
        print(
            f"generated {args.rows} rows, {size_mb:.1f} MB ({args.encoding}) in "
            f"{time.perf_counter() - started:.1f}s"
        )

        profiler = cProfile.Profile() if args.profile else None
        for label in ("first import", "re-import (idempotent)"):
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler is not None and label == "first import":
                profiler.enable()
            report = file_import(shop=shop, kind=REVIEWS, path=path, chunk_size=args.chunk_size)
            if profiler is not None and label == "first import":
                profiler.disable()
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{label}: {report.imported} rows in {seconds:.2f}s = "
                f"{report.imported / seconds:,.0f} rows/s (CPU {cpu:.2f}s = "
                f"{report.imported / cpu:,.0f} rows per CPU-second); created {report.created}, "
                f"changed {report.changed}, unchanged {report.unchanged}, "
                f"rejected {report.rejected}, cases opened {report.cases_opened}; "
                f"peak RSS {peak_mb:.0f} MB"
            )
        print(f"database: {Review.objects.count()} reviews, {Case.objects.count()} cases")
        if profiler is not None:
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
