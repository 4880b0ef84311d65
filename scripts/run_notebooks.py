"""Executes notebooks headless with the project-local tslab kernel; publishes and checks the committed ones.

Called by scripts/run-notebooks.mjs (`npm run notebooks`, `npm run notebooks:publish`, `npm run notebooks:check`).

  run_notebooks.py execute OUT_DIR TIMEOUT [--publish] NOTEBOOK...
      Execute every cell with nbclient; write the executed copy (signed, so a notebook server trusts its
      HTML outputs) and an HTML export to OUT_DIR. On a failing cell stop with that cell's source and error
      text (tslab puts the error in the cell's stderr; nbclient's message is empty), exit status 1.
      With --publish also write the committed form back over NOTEBOOK (see `committed_copy`).
  run_notebooks.py check NOTEBOOK...
      The committed notebooks are executed, up to date with their code cells (a hash of them is stored in
      the notebook's metadata when it is published) and at most MAX_BYTES each.
"""
import copy
import hashlib
import json
import os
import sys
import time

import nbformat
from nbformat.sign import NotebookNotary

MAX_BYTES = 2 * 1024 * 1024
META_KEY = "guided-rl"
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def code_hash(nb):
    """sha256 of the code cells' sources, in order: what the outputs depend on."""
    sources = ["".join(c.source) if isinstance(c.source, list) else c.source for c in nb.cells if c.cell_type == "code"]
    return hashlib.sha256(json.dumps(sources, ensure_ascii=False).encode("utf-8")).hexdigest()


def cell_error_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("%s: %s\n%s" % (out.get("ename", ""), out.get("evalue", ""), "\n".join(out.get("traceback", []))))
    return "".join(parts).strip()


def committed_copy(nb, budget):
    """The form committed to notebooks/: light enough for GitHub and any viewer.

    Figures keep their plotly JSON (JupyterLab with plotly's extension, VS Code) and PNG (everything else);
    their HTML, which needs plotly.js, and the one output that loads plotly.js (4.8 MB) are dropped. Cell
    execution timestamps are dropped so a republish changes only what changed.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        outputs = []
        for out in cell.get("outputs", []):
            if out.get("metadata", {}).get(META_KEY) == "plotly.js":
                continue
            data = out.get("data")
            if data is not None and PLOTLY_MIME in data:
                data.pop("text/html", None)
            outputs.append(out)
        cell.outputs = outputs
    nb.metadata[META_KEY] = {"budget": budget, "code_sha256": code_hash(nb)}
    return nb


def run(path, out_dir, timeout, publish):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError
    from nbconvert import HTMLExporter

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
    notary = NotebookNotary()
    executed_path = os.path.join(out_dir, name + ".ipynb")
    if failure is None:
        notary.sign(nb)
    nbformat.write(nb, executed_path)
    html, _ = HTMLExporter().from_notebook_node(nb)
    with open(os.path.join(out_dir, name + ".html"), "w", encoding="utf-8") as fh:
        fh.write(html)
    elapsed = time.time() - started
    if failure is None:
        note = ""
        if publish:
            published = committed_copy(nb, os.environ.get("GUIDED_RL_BUDGET", "full"))
            nbformat.write(published, path)
            notary.sign(published)
            note = "; published to %s (%.2f MB)" % (path, os.path.getsize(path) / 1e6)
        print("notebooks: %s ok in %.1f s -> %s%s" % (name, elapsed, executed_path, note), flush=True)
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


def check(paths):
    """Problems with the committed notebooks, one line each (empty when all are published and fresh)."""
    problems = []
    for path in paths:
        name = os.path.basename(path)
        size = os.path.getsize(path)
        nb = nbformat.read(path, as_version=4)
        meta = nb.metadata.get(META_KEY, {})
        try:
            # the nbformat schema every viewer (JupyterLab, VS Code, GitHub, nbconvert) reads against
            nbformat.validate(nb)
        except nbformat.ValidationError as err:
            problems.append("%s is not a valid nbformat %d notebook: %s" % (name, nb.nbformat, str(err).splitlines()[0]))
        if size > MAX_BYTES:
            problems.append("%s is %.2f MB (at most %.0f MB)" % (name, size / 1e6, MAX_BYTES / 2**20))
        if not meta.get("code_sha256"):
            problems.append("%s was never published (no outputs from npm run notebooks:publish)" % name)
        elif meta["code_sha256"] != code_hash(nb):
            problems.append("%s: code cells changed since it was published at the %s budget" % (name, meta.get("budget", "?")))
        unexecuted = [i + 1 for i, c in enumerate(c for c in nb.cells if c.cell_type == "code") if c.get("execution_count") is None and "".join(c.source).strip()]
        if meta.get("code_sha256") and unexecuted:
            problems.append("%s: code cells %s have no outputs" % (name, unexecuted))
        if meta:
            print("notebooks: %s %.2f MB, published at the %s budget%s" % (name, size / 1e6, meta.get("budget", "?"), "" if meta.get("code_sha256") == code_hash(nb) else " (stale)"))
    return problems


def main():
    mode = sys.argv[1]
    if mode == "check":
        problems = check(sys.argv[2:])
        for p in problems:
            print("notebooks: " + p, file=sys.stderr)
        if problems:
            print("notebooks: run `npm run notebooks:publish [-- name ...]` and commit notebooks/", file=sys.stderr)
        sys.exit(1 if problems else 0)
    out_dir, timeout = sys.argv[2], int(sys.argv[3])
    rest = sys.argv[4:]
    publish = "--publish" in rest
    paths = [p for p in rest if p != "--publish"]
    os.makedirs(out_dir, exist_ok=True)
    for path in paths:
        if not run(path, out_dir, timeout if timeout > 0 else None, publish):
            sys.exit(1)
    sys.exit(0)


if __name__ == "__main__":
    main()
