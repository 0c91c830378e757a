"""`fx-desktop print`: a form of one case to a PDF file, for scripts and batch jobs. A form whose workflow step has
not happened yet prints with those parts blank, ready to fill by hand. A form with a provisional number (the server
has not given the official one yet) is written marked as a draft, with a warning on stderr; the exit code stays 0."""
from __future__ import annotations

import sys

from .domain.errors import DomainError
from .printing.files import write_atomically


def run(paths, args, open_store) -> int:
    from .printing.forms import ALL_FORMS

    if args.list_forms:
        for spec in ALL_FORMS.values():
            print(f"{spec.name}\t{spec.title}")
        return 0
    missing = [flag for flag, value in (("--form", args.form), ("--case", args.case_no), ("--out", args.out))
               if not value]
    if missing:
        print(f"错误：请提供 {'、'.join(missing)}（用 --list-forms 查看可打印的文书）。", file=sys.stderr)
        return 2
    lock, store = open_store(paths)
    try:
        from .printing.draft import NOTICE
        from .printing.forms import build_form, prints_as_draft
        from .services.print_data import dossier, find_case_id

        data = dossier(store, find_case_id(store, args.case_no))
        pdf = build_form(args.form, data)
        write_atomically(args.out, pdf)
        if prints_as_draft([args.form], data):
            print(f"注意：{args.out} 标注为草稿。{NOTICE}请运行 fx-desktop sync 后重新打印。", file=sys.stderr)
    except DomainError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"错误：无法写入 {args.out}：{exc.strerror or exc}。请检查目录是否存在、是否有写权限和磁盘空间。",
              file=sys.stderr)
        return 1
    finally:
        store.close()
        lock.release()
    print(f"已生成 {args.out}（{ALL_FORMS[args.form].title}，{len(pdf) // 1024 + 1} KB）。")
    return 0
