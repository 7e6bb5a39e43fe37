"""No SQL of the app is built from strings: every statement that reaches the database is a constant or a
psycopg.sql composition (identifiers and literals quoted by psycopg), and every value is a bound parameter.

The check reads app/data/db.py and app/data/queries.py (the only modules of the app that talk to the database) with
``ast``: each
``fetch``/``execute`` call must get a string literal, a module constant holding one, a ``sql.SQL(literal)``
(optionally ``.format``-ed with ``sql.Identifier``/``sql.Literal``/other compositions) or a helper returning
such a composition. f-strings, ``str.format``, ``%`` and ``+`` on SQL text fail it.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parents[2] / "app"
DATABASE_MODULES = (APP_DIR / "data" / "db.py", APP_DIR / "data" / "queries.py")
EXECUTORS = {"fetch", "execute", "executemany"}
SQL_FACTORIES = {"SQL", "Identifier", "Literal", "Placeholder", "Composed"}


def _is_sql_factory(node: ast.AST) -> bool:
    """sql.SQL(...), psycopg.sql.Identifier(...), SQL(...) with constant or composable arguments."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name not in SQL_FACTORIES:
        return False
    if name == "SQL":  # the text of sql.SQL must itself be a literal
        return len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
    return True  # Identifier/Literal quote whatever they are given


class SqlChecker:
    """Decides whether an expression passed to fetch/execute is a safe statement."""

    def __init__(self, tree: ast.Module) -> None:
        self.constants: dict[str, ast.AST] = {}
        self.helpers: dict[str, ast.FunctionDef] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.constants[node.targets[0].id] = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                self.constants[node.target.id] = node.value
            elif isinstance(node, ast.FunctionDef):
                self.helpers[node.name] = node

    def safe(self, node: ast.AST, function: ast.FunctionDef | None, depth: int = 0) -> bool:
        if depth > 8:
            return False
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str)
        if _is_sql_factory(node):
            return True
        if isinstance(node, ast.Name):
            if function is not None and node.id in {a.arg for a in function.args.args}:
                return True  # a pass-through parameter (Database.fetch): its callers are checked instead
            local = self._local_value(node.id, function)
            if local is not None:
                return self.safe(local, function, depth + 1)
            if node.id in self.constants:
                return self.safe(self.constants[node.id], None, depth + 1)
            return False
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
            # composable.format(...) / composable.join(...) is safe only on a composable, with composable args
            base_ok = self.safe(node.func.value, function, depth + 1) and not self._is_plain_text(node.func.value)
            args = [*node.args, *(k.value for k in node.keywords)]
            return base_ok and all(self._composable_arg(a, function, depth + 1) for a in args)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.helpers:
            helper = self.helpers[node.func.id]
            returns = [n.value for n in ast.walk(helper) if isinstance(n, ast.Return) and n.value is not None]
            return bool(returns) and all(self.safe(r, helper, depth + 1) for r in returns)
        return False  # JoinedStr (f-string), BinOp (% or +), anything else

    @staticmethod
    def _local_value(name: str, function: ast.FunctionDef | None) -> ast.AST | None:
        """The value of a variable assigned exactly once in ``function`` (else None: not provably constant)."""
        if function is None:
            return None
        values = [n.value for n in ast.walk(function) if isinstance(n, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]
        return values[0] if len(values) == 1 else None

    def _is_plain_text(self, node: ast.AST) -> bool:
        """A str (literal or constant holding one): its .format would build SQL from strings."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name) and node.id in self.constants:
            return self._is_plain_text(self.constants[node.id])
        return False

    def _composable_arg(self, node: ast.AST, function: ast.FunctionDef | None, depth: int) -> bool:
        if isinstance(node, (ast.List, ast.Tuple)):  # sql.SQL(", ").join([...])
            return all(self._composable_arg(e, function, depth) for e in node.elts)
        if isinstance(node, (ast.GeneratorExp, ast.ListComp)):
            return self._composable_arg(node.elt, function, depth)
        return self.safe(node, function, depth) and not self._is_plain_text(node)


def statements(source: str) -> list[tuple[int, bool]]:
    """(line, safe) of every fetch/execute call in ``source``."""
    tree = ast.parse(source)
    checker = SqlChecker(tree)
    found: list[tuple[int, bool]] = []

    def visit(node: ast.AST, function: ast.FunctionDef | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef) else function
            if (isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute)
                    and child.func.attr in EXECUTORS and child.args):
                found.append((child.lineno, checker.safe(child.args[0], inner)))
            visit(child, inner)

    visit(tree, None)
    return found


def test_every_statement_of_the_app_is_a_constant_or_a_psycopg_composition() -> None:
    for module in DATABASE_MODULES:
        found = statements(module.read_text(encoding="utf-8"))
        assert len(found) >= (15 if module.name == "queries.py" else 2), "the checker no longer sees the queries"
        unsafe = [line for line, ok in found if not ok]
        assert not unsafe, f"app/data/{module.name} builds SQL from strings at lines {unsafe}"


@pytest.mark.parametrize("module", DATABASE_MODULES, ids=lambda path: path.name)
def test_no_string_formatting_near_sql_in_queries(module: Path) -> None:
    """Belt and braces: no f-string, .format or % anywhere in db.py or queries.py contains SQL keywords."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    keywords = ("SELECT ", " FROM ", " WHERE ", "INSERT ", "UPDATE ", "DELETE ", " ORDER BY")

    def sql_text(node: ast.AST) -> bool:
        text = " ".join(n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))
        return any(k in text.upper() for k in keywords)

    offenders = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and sql_text(node):
            offenders.append((node.lineno, "f-string"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)) and sql_text(node):
            offenders.append((node.lineno, "% or +"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
              and isinstance(node.func.value, ast.Constant) and sql_text(node.func.value)):
            offenders.append((node.lineno, "str.format"))
    assert not offenders, offenders


BAD = {
    "f-string": 'def f(db, table):\n    return db.fetch(f"SELECT * FROM {table}")\n',
    "str.format": 'def f(db, x):\n    return db.fetch("SELECT * FROM t WHERE a = {}".format(x))\n',
    "percent": 'def f(db, x):\n    return db.fetch("SELECT * FROM t WHERE a = \'%s\'" % x)\n',
    "concatenation": 'def f(db, x):\n    return db.fetch("SELECT * FROM t WHERE a = " + x)\n',
    "constant formatted": 'Q = "SELECT {c} FROM t"\ndef f(db, c):\n    return db.fetch(Q.format(c=c))\n',
    "sql.SQL of an f-string": 'from psycopg import sql\ndef f(db, x):\n    return db.fetch(sql.SQL(f"SELECT {x}"))\n',
    "helper returning an f-string": ('def q(t):\n    return f"SELECT * FROM {t}"\n'
                                     'def f(db):\n    return db.fetch(q("x"))\n'),
    "local variable holding an f-string": 'def f(db, t):\n    q = f"SELECT * FROM {t}"\n    return db.fetch(q)\n',
}
GOOD = {
    "literal": 'def f(db, x):\n    return db.fetch("SELECT * FROM t WHERE a = %(x)s", {"x": x})\n',
    "constant": 'Q = "SELECT 1"\ndef f(db):\n    return db.fetch(Q)\n',
    "local composition": ('from psycopg import sql\ndef f(db, t):\n'
                          '    q = sql.SQL("SELECT * FROM {}").format(sql.Identifier(t))\n    return db.fetch(q)\n'),
    "identifier": ('from psycopg import sql\ndef f(db, table):\n'
                   '    return db.fetch(sql.SQL("SELECT code FROM {}").format(sql.Identifier(table)))\n'),
    "helper composition": ('from psycopg import sql\nC = sql.SQL("{t}.a")\ndef cols(t):\n'
                           '    return C.format(t=sql.Identifier(t))\ndef f(db):\n'
                           '    return db.fetch(sql.SQL("SELECT {c} FROM x e").format(c=cols("e")))\n'),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_checker_rejects_sql_built_from_strings(name: str) -> None:
    found = statements(textwrap.dedent(BAD[name]))
    assert found and not all(ok for _, ok in found), name


@pytest.mark.parametrize("name", sorted(GOOD))
def test_the_checker_accepts_constants_and_compositions(name: str) -> None:
    found = statements(textwrap.dedent(GOOD[name]))
    assert found and all(ok for _, ok in found), name
