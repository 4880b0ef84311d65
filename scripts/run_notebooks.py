"""Executes notebooks headless with the project-local tslab kernel and exports them to HTML.

Called by scripts/run-notebooks.mjs (`npm run notebooks`). For each notebook: execute every cell with
nbclient, write the executed copy and an HTML export to the output folder, and on a failing cell stop
with that cell's source and error text (tslab puts the error in the cell's stderr, nbclient's message is
empty), exit status 1.
"""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from nbconvert import HTMLExporter


def cell_error_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("%s: %s\n%s" % (out.get("ename", ""), out.get("evalue", ""), "\n".join(out.get("traceback", []))))
    return "".join(parts).strip()


def run(path, out_dir, timeout):
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="tslab",
        timeout=timeout,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    started = time.time()
    failure = None
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as err:
        failure = err
    executed_path = os.path.join(out_dir, name + ".ipynb")
    nbformat.write(nb, executed_path)
    html, _ = HTMLExporter().from_notebook_node(nb)
    with open(os.path.join(out_dir, name + ".html"), "w", encoding="utf-8") as fh:
        fh.write(html)
    elapsed = time.time() - started
    if failure is None:
        print("notebooks: %s ok in %.1f s -> %s" % (name, elapsed, executed_path), flush=True)
        return True
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    failing = None
    for index, cell in enumerate(code_cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            failing = (index, cell)
    if failing is None:
        # A timeout leaves no error output: the failing cell is the last one that started.
        started_cells = [(i, c) for i, c in enumerate(code_cells) if c.get("execution_count") is not None]
        failing = started_cells[-1] if started_cells else (0, code_cells[0] if code_cells else {"source": ""})
    index, cell = failing
    text = cell_error_text(cell) or str(failure).strip() or "(the kernel gave no error text)"
    source = "".join(cell.get("source", "")).strip()
    print("notebooks: %s FAILED in code cell %d after %.1f s" % (name, index + 1, elapsed), file=sys.stderr)
    print("---- cell source ----\n%s\n---- error ----\n%s\n---------------------" % (source[:2000], text[:8000]), file=sys.stderr, flush=True)
    return False


def main():
    out_dir = sys.argv[1]
    timeout = int(sys.argv[2])
    paths = sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    ok = True
    for path in paths:
        if not run(path, out_dir, timeout if timeout > 0 else None):
            ok = False
            break
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
