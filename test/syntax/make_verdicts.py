"""CPython's verdict on crafted sources and on every Python file of the tests and examples.

Run with the Python of CI (Debian's python3, 3.11):  /usr/bin/python3 test/syntax/make_verdicts.py
It writes test/syntax/cpython-verdicts.json, which test/engine/syntax.test.mjs compares with Loss
Lens's parser: the same accept/reject verdict and, for a rejection, the same line. Sources are
compiled as a file is (UTF-8 bytes), with compile(source, path, 'exec').
"""
import json
import pathlib
import sys
import warnings

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / 'test' / 'syntax' / 'cpython-verdicts.json'
FILE_FOLDERS = ['test/fixtures', 'test/diagnose/fixtures', 'test/corpus/cases', 'examples']

# (name, source). Groups: valid code that must parse; indentation; Python 2; tokens; the order in which
# CPython reports several errors; compiler errors; ordinary syntax errors; realistic loss files.
SOURCES = [
    # --- valid: nothing here may be rejected -------------------------------------------------------
    ('empty', ''),
    ('comment only', '# just a comment'),
    ('no final newline', 'x = 1'),
    ('crlf', 'def f(x):\r\n    return x\r\n'),
    ('bom', '\ufeffimport torch\nx = 1\n'),
    ('docstring only block', 'def f():\n    """Doc."""\n'),
    ('one-line suites', 'if x: pass\nelse: y = 1\nwhile 0: break\nclass A: pass\ndef f(): return 1\n'),
    ('semicolons', 'a = 1; b = 2;\n'),
    ('three-space and one-space indents', 'def f():\n   if x:\n    return 1\n   return 2\n'),
    ('tabs consistently', 'def f():\n\tif x:\n\t\treturn 1\n\treturn 2\n'),
    ('tab then spaces beyond the tab', 'if x:\n\tif y:\n\t    pass\n'),
    ('form feed before a line', 'x = 1\n\x0c\ndef f():\n    return 1\n'),
    ('comments at any indentation', 'def f():\n# left\n        # right\n    return 1\n  # odd\n'),
    ('blank lines with spaces', 'def f():\n    x = 1\n  \n        \n    return x\n'),
    ('brackets ignore indentation', 'x = [\n1,\n      2,\n  3]\ndef f(a,\n b):\n    return (a +\nb)\n'),
    ('backslash continuation', 'x = 1 + \\\n        2\nif x and \\\n   y:\n    pass\n'),
    ('triple-quoted string with indentation', 's = """\n  indented\nnot\n      deep\n"""\n'),
    ('string continued by backslash', 's = "abc\\\ndef"\n'),
    ('f-strings', 'n = 3\ns = f"{n!r:>{n}} {{x}} {\'a\'} {n:.2f}"\nt = rf"\\d{n}" + Rb"\\x" + U"u" + fR"{n}"\n'),
    ('string prefixes', 'a = b"x"; b = rb"x"; c = BR"x"; d = u"x"; e = Rf"{1}"; f = br"x"\n'),
    ('numbers', 'a = [0, 00, 0_0, 1_000, 0x_ff, 0O17, 0b1_0, 1e-5, 1E+5, .5, 5., 1j, 0777.5, 0777j, 09e1, 0.0]\n'),
    ('number then keyword', 'x = 1if y else 2\nz = [0x1for x in y]\n'),
    ('ellipsis and operators', 'x = ...\ny = a @ b; y @= c; z = a // b; z //= 2; w = a ** -b; v = a != b\n'),
    ('walrus and match', 'if (n := 10) > 5:\n    match n:\n        case 1 | 2:\n            pass\n        case _:\n            pass\n'),
    ('soft keywords as names', 'match = 1\ncase = 2\ntype = 3\n_ = match + case\n'),
    ('async code', 'async def f():\n    await g()\n    async for x in y:\n        pass\n    async with a as b:\n'
     '        pass\n    return [await z async for z in w]\n'),
    ('await in a generator expression', 'def f():\n    return (await x for x in y)\n'),
    ('parameters', 'def f(a, /, b, c=1, *args, d, e=2, **kw): pass\ndef g(*, a): pass\nlambda a=1, *b, c: 0\n'
     'def h(a: int = 1, *args: str, b: float, **kw: dict) -> None: pass\n'),
    ('call arguments', 'f(a, *b, c=1, *d, **e)\nf(a=1, *b)\nf(*a, b)\nf(**a, b=1, **c)\nclass A(B, metaclass=M): pass\n'),
    ('print as a name', 'print\nprint()\nprint >>f, x\nprint -1\nprint (x), y\nprint [0]\nprint, x\nprint = 3\n'),
    ('exec as a name', 'exec(code)\nexec(code, ns)\nexec\n'),
    ('yield in lambda and function', 'def f():\n    x = yield\n    yield from g()\n    return lambda: (yield)\n'),
    ('return in nested scopes', 'class A:\n    def f(self):\n        def g():\n            return 1\n        return g\n'),
    ('break in try/finally and with', 'for x in y:\n    try:\n        break\n    finally:\n        pass\n'
     'while 1:\n    with a:\n        continue\n'),
    ('nonlocal and global', 'def f():\n    x = 1\n    def g():\n        nonlocal x\n        global y\n        x = 2\n'),
    ('unicode identifiers', 'café = 1\nπ = 3.14\nnaïve_λ = café + π\n'),
    ('unicode in strings and comments', '# “smart” quotes — and a non-breaking\xa0space\ns = "“x” — \xa0"\n'),
    ('decorators', '@torch.no_grad()\n@staticmethod\ndef f(x):\n    return x\n'),
    ('dedent to an outer level', 'class A:\n    def f(self):\n        if x:\n            pass\n    def g(self):\n'
     '        pass\nx = 1\n'),
    ('except forms', 'try:\n    pass\nexcept (A, B) as e:\n    pass\nexcept C:\n    pass\nexcept:\n    pass\n'),
    ('except star', 'try:\n    pass\nexcept* ValueError:\n    pass\n'),
    ('raise forms', 'raise\nraise E\nraise E("m") from e\nraise (E, F)\n'),
    ('star targets', 'a, *b = c\n*a, b = c\n[*a] = c\nx = *a, b\n'),
    ('dict and set displays', 'd = {**a, "b": 1}\ns = {*a, 1}\nc = {k: v for k, v in d.items() if v}\n'),
    ('conditional imports', 'try:\n    import torch\nexcept ImportError:\n    torch = None\nfrom . import x\n'
     'from .. import y as z\nfrom a.b import (c,\n    d)\n'),
    ('import star at module level', 'from os.path import *\n'),
    ('global statement at module level', 'global x\nx = 1\n'),
    ('backtick inside a string', 's = "`x` <> y $ ? !"\n'),
    ('comment after a header', 'if x:  # why\n    pass\n'),
    ('line continuation in brackets', 'x = (1 +\\\n 2)\n'),
    ('deep but legal nesting', ''.join('    ' * i + 'if x:\n' for i in range(30)) + '    ' * 30 + 'pass\n'),
    ('class bodies and methods', 'class A(nn.Module):\n    """Doc."""\n\n    def __init__(self):\n'
     '        super().__init__()\n\n    def forward(self, x):\n        return x\n'),
    ('decorated class', '@dataclass(frozen=True)\nclass C:\n    a: int = 1\n'),
    ('walrus in comprehension', 'ys = [y for x in xs if (y := f(x))]\n'),
    ('lambda in default', 'def f(key=lambda x: x): return key\n'),
    ('annotated assignment', 'x: int\ny: list[int] = []\n'),
    ('chained comparison', 'ok = 0 <= x < 10 != y is not None not in z\n'),
    ('del and assert', 'del a, b[0], c.d\nassert x, "m"\n'),
    ('empty lines at end', 'x = 1\n\n\n\n'),
    ('trailing whitespace at end', 'if x:\n    pass\n    '),

    # --- indentation ------------------------------------------------------------------------------
    ('unexpected indent in a body', 'def f(x):\n    y = x\n      z = y\n    return z\n'),
    ('unexpected indent at the start', '  x = 1\n'),
    ('unexpected indent after a statement', 'x = 1\n    y = 2\n'),
    ('unexpected indent after a one-line suite', 'if x: pass\n    y = 1\n'),
    ('unexpected indent after a string', 's = """\n  a\n"""\n  x = 1\n'),
    ('unexpected indent after a continuation', 'x = 1 + \\\n  2\n    y = 3\n'),
    ('unindent to no outer level', 'if x:\n      a = 1\n    b = 2\n'),
    ('unindent in a method', 'class A:\n    def f(self):\n        return 1\n\n  x = 1\n'),
    ('unindent after brackets', 'if x:\n    y = (1,\n  2)\n  z = 3\n'),
    ('unindent with a form feed', 'if x:\n    a\n\x0c  b\n'),
    ('tab after spaces', 'if x:\n        a = 1\n\tb = 2\n'),
    ('spaces after tab', 'if x:\n\ta = 1\n        b = 2\n'),
    ('tab mixed within one indent', 'if x:\n  \tpass\n        y\n'),
    ('tab indent not deeper at tab size 1', 'if x:\n        if y:\n\t\t\tpass\n'),
    ('expected block: def', 'def f():\nreturn 1\n'),
    ('expected block: def at end of file', 'def f():\n'),
    ('expected block: def then blank lines', 'def f():\n\n\n'),
    ('expected block: comment only', 'def f():\n    # nothing yet\nx = 1\n'),
    ('expected block: nested if', 'if a:\n    if b:\nx = 1\n'),
    ('expected block: decorated multi-line def', '@d\ndef f(\n  a):\nx = 1\n'),
    ('expected block: class', 'class A:\npass\n'),
    ('expected block: for', 'for x in y:\npass\n'),
    ('expected block: while', 'while x:\npass\n'),
    ('expected block: with', 'with a:\npass\n'),
    ('expected block: try', 'try:\npass\n'),
    ('expected block: bare except', 'try:\n    pass\nexcept:\npass\n'),
    ('expected block: except', 'try:\n    pass\nexcept E:\npass\n'),
    ('expected block: finally', 'try:\n    pass\nfinally:\npass\n'),
    ('expected block: elif', 'if a:\n    pass\nelif b:\npass\n'),
    ('expected block: else', 'if a:\n    pass\nelse:\npass\n'),
    ('expected block: async def', 'async def f():\npass\n'),
    ('expected block: async for', 'async def f():\n    async for x in y:\n    pass\n'),
    ('expected block: match', 'match x:\ncase 1:\n    pass\n'),
    ('expected block: case', 'match x:\n    case 1:\n    pass\n'),
    ('too deep', ''.join(' ' * i + 'if x:\n' for i in range(101)) + ' ' * 101 + 'pass\n'),

    # --- Python 2 ---------------------------------------------------------------------------------
    ('print statement', 'print "loss:", loss\n'),
    ('print statement in a function', 'def f(x):\n    print x\n    return x\n'),
    ('print with trailing comma', 'print 1,\n'),
    ('print with format', 'print "%d" % n\n'),
    ('print not', 'print not x\n'),
    ('print unary', 'print ~x\n'),
    ('print set', 'print {1}\n'),
    ('print lambda', 'print lambda: 1\n'),
    ('print without space', 'print"x"\n'),
    ('print statement spanning brackets', 'print x, (\n  1)\n'),
    ('exec statement', 'exec code\n'),
    ('exec string', 'exec "x = 1"\n'),
    ('exec in namespace', 'exec code in ns\n'),
    ('backticks', 'x = `y`\n'),
    ('not-equal <>', 'if a <> b:\n    pass\n'),
    ('except comma', 'try:\n    pass\nexcept ValueError, e:\n    pass\n'),
    ('except tuple comma', 'try:\n    pass\nexcept (A, B), e:\n    pass\n'),
    ('octal', 'mode = 0777\n'),
    ('octal with underscore', 'x = 0_7\n'),
    ('long integer', 'n = 10L\n'),
    ('long hexadecimal', 'n = 0x10L\n'),
    ('ur prefix', 's = ur"abc"\n'),
    ('bu prefix', 's = bu"abc"\n'),
    ('raise with comma', 'raise ValueError, "bad"\n'),
    ('tuple parameters', 'def f((a, b)):\n    pass\n'),
    ('tuple parameters after others', 'def f(x, (a, b)):\n    pass\n'),
    ('lambda tuple parameters', 'f = lambda (a, b): a\n'),
    ('async as a name', 'async = 1\n'),
    ('await as a function name', 'def await(): pass\n'),
    ('python 2 loss file', '# Keras 1 era.\nfrom keras import backend as K\n\n\ndef dice(y_true, y_pred):\n'
     '    return K.sum(y_true * y_pred)\n\n\ndef report(h):\n    print "best:", max(h)\n'),

    # --- tokens -----------------------------------------------------------------------------------
    ('unterminated string', 'x = "abc\ny = 1\n'),
    ('unterminated string at end', "x = 'abc"),
    ('unterminated triple-quoted string', 'x = """abc\n\ny = 1\n'),
    ('unterminated triple-quoted at end', "x = '''abc\n"),
    ('unterminated after continuation', 'x = "abc\\\ndef\n'),
    ('never closed', 'x = (1,\n 2,\n'),
    ('never closed in a function', 'def f():\n    return (1,\n'),
    ('never closed before a statement', 'x = (1,\ny = 2\n'),
    ('never closed, then more code', 'x = [1, 2\ndef f():\n    return 1\n'),
    ('mismatched bracket', 'x = [1, 2)\n'),
    ('mismatched bracket across lines', 'x = (1,\n 2]\n'),
    ('unmatched closing', 'x = 1)\n'),
    ('unmatched closing brace', 'd = {}}\n'),
    ('bad line continuation', 'x = 1 \\ 2\n'),
    ('continuation at end of file', 'x = 1 + \\'),
    ('dollar', 'x = $a\n'),
    ('question mark', 'x = a ? b : c\n'),
    ('lone exclamation', 'x = !a\n'),
    ('smart quotes', 'x = “abc”\n'),
    ('non-breaking space', 'x =\xa01\n'),
    ('zero-width space', 'x = 1\u200b\n'),
    ('superscript in a name', 'x² = 1\n'),
    ('em dash', 'x = a — b\n'),
    ('binary digit', 'x = 0b102\n'),
    ('octal digit', 'x = 0o8\n'),
    ('hexadecimal without digits', 'x = 0x\n'),
    ('double underscore in number', 'x = 1__000\n'),
    ('trailing underscore in number', 'x = 1_\n'),
    ('exponent without digits', 'x = 1e\n'),
    ('exponent sign without digits', 'x = 1e+\n'),
    ('letter after number', 'x = 3px\n'),
    ('imaginary then letter', 'x = 1jx\n'),
    ('number then name', 'x = 1_a\n'),
    ('fraction underscore', 'x = 1._5\n'),

    # --- which error CPython reports first --------------------------------------------------------
    ('print then bad literal', 'print x\nx = 0777\n'),
    ('print then unterminated string', 'print x\nx = "abc\n'),
    ('print then unindent', 'print x\nif y:\n  a\n b\n'),
    ('print then never closed', 'print x\nx = (\n'),
    ('never closed then print', 'x = (\nprint x\n'),
    ('print then bad continuation', 'print x\ny = 1 \\ 2\n'),
    ('tab error then print', 'if x:\n\ta\n        b\nprint x\n'),
    ('print then tab error', 'print x\nif x:\n\ta\n        b\n'),
    ('invalid syntax then unmatched', 'x = a b\ny = 1)\n'),
    ('invalid syntax then dollar', 'x = a b\ny = $\n'),
    ('unexpected indent then bad literal', 'x = 1\n  y = 2\nz = 0777\n'),
    ('bad literal then unexpected indent', 'z = 0777\nx = 1\n  y = 2\n'),
    ('unindent then print', 'if x:\n    a\n  b\nprint x\n'),
    ('missing block then bad literal', 'def f():\nx = 0777\n'),
    ('print then missing block', 'print x\ndef f():\nreturn 1\n'),
    ('missing colon then unexpected indent', 'def f()\n    return 1\n'),
    ('return outside then print', 'return 1\nprint x\n'),
    ('compile errors in order', 'def f():\n    pass\nreturn 1\nbreak\n'),
    ('symbol table before compiler', 'return 1\nnonlocal x\n'),
    ('keyword repeated then nonlocal', 'f(a=1, a=2)\nnonlocal x\n'),

    # --- compiler ---------------------------------------------------------------------------------
    ('return outside function', 'x = 1\nreturn x\n'),
    ('return in class body', 'class A:\n    return 1\n'),
    ('yield outside function', 'yield 1\n'),
    ('yield in class body', 'class A:\n    x = yield\n'),
    ('await outside function', 'await x\n'),
    ('await in a plain function', 'def f():\n    await x\n'),
    ('await in a lambda', 'async def f():\n    return lambda: await x\n'),
    ('await in a comprehension at module level', 'x = [await y for y in z]\n'),
    ('await in a comprehension in a plain function', 'def f():\n    return [await y for y in z]\n'),
    ('async for outside async function', 'def f():\n    async for x in y:\n        pass\n'),
    ('async with at module level', 'async with a:\n    pass\n'),
    ('break outside loop', 'break\n'),
    ('break in loop else', 'for x in y:\n    pass\nelse:\n    break\n'),
    ('continue in nested function', 'while 1:\n    def g():\n        continue\n'),
    ('break in class in loop', 'for x in y:\n    class A:\n        break\n'),
    ('nonlocal at module level', 'nonlocal x\n'),
    ('duplicate argument', 'def f(a, b, a):\n    pass\n'),
    ('duplicate keyword-only argument', 'def f(a, *, b, a): pass\n'),
    ('duplicate lambda argument', 'g = lambda a, a: 1\n'),
    ('duplicate star argument', 'def f(a, *a): pass\n'),
    ('import star in function', 'def f():\n    from os import *\n'),
    ('import star in class', 'class A:\n    from os import *\n'),
    ('keyword argument repeated', 'f(a=1, a=2)\n'),
    ('starred assignment alone', '*a = b\n'),
    ('starred expression alone', 'x = *a\n'),
    ('yield in a default value', 'def f(a=(yield)): pass\n'),

    # --- parameters and arguments -----------------------------------------------------------------
    ('non-default after default', 'def f(a=1, b):\n    pass\n'),
    ('non-default after default across slash', 'def f(a=1, /, b): pass\n'),
    ('lambda non-default after default', 'g = lambda a=1, b: 0\n'),
    ('typed non-default after default', 'def f(a: int = 1, b: int): pass\n'),
    ('parameter after var-keyword', 'def f(**k, a): pass\n'),
    ('bare star alone', 'def f(*): pass\n'),
    ('bare star then var-keyword', 'def f(*, **k): pass\n'),
    ('positional after keyword', 'f(a=1, b)\n'),
    ('positional after keyword across lines', 'f(a=1,\n  b)\n'),
    ('positional after keyword unpacking', 'f(**k, b)\n'),
    ('iterable unpacking after keyword unpacking', 'f(**k, *a)\n'),
    ('positional after keyword in class bases', 'class A(metaclass=M, B): pass\n'),

    # --- ordinary syntax errors (tree-sitter finds them; CPython's line) ----------------------------
    ('missing colon', 'def f(x)\n    return x\n'),
    ('missing colon on if', 'if x\n    pass\n'),
    ('double equals sign', 'x = = 1\n'),
    ('two names', 'x = a b\n'),
    ('dangling operator', 'x = 1 +\n'),
    ('else without if', 'else:\n    pass\n'),
    ('assign to call', 'f() = 1\n'),
    ('assign to literal', '1 = x\n'),
    ('assign to True', 'True = 1\n'),
    ('assign to None in for', 'for None in x: pass\n'),
    ('incomplete import', 'from x import\n'),
    ('bad dotted alias', 'import a.b as c.d\n'),
    ('missing comma in call', 'f(a b)\n'),
    ('missing comma in list', 'x = [1 2]\n'),
    ('empty f-string expression', 'x = f"{}"\n'),
    ('keyword as name', 'class = 1\n'),
    ('def without name', 'def (x):\n    pass\n'),
    ('unclosed call at end of body', 'def f(x):\n    return g(x\n\ndef h():\n    return 1\n'),
    ('augmented assignment to tuple', '(a, b) += 1\n'),
    ('delete call', 'del f()\n'),
    ('with as call', 'with a as f(): pass\n'),
    ('generator not parenthesized', 'f(x for x in y, 1)\n'),
    ('lambda with statement', 'f = lambda: return 1\n'),
    ('elif after else', 'if a:\n    pass\nelse:\n    pass\nelif b:\n    pass\n'),
    ('try without except', 'try:\n    pass\nx = 1\n'),
    ('garbage', 'def loss(p, t:\n  return ((( }\n'),
    ('truncated file', 'import torch\n\ndef dice_loss(pred, target):\n    return (pred *\n'),
    ('statement in expression', 'x = (y = 1)\n'),
    ('missing parenthesis in def', 'def f(a, b:\n    return a\n'),

    # --- string literals --------------------------------------------------------------------------
    ('windows path', 'DATA = "C:\\Users\\me\\data"\n'),
    ('windows path in an f-string', 'p = f"C:\\Users\\{name}"\n'),
    ('truncated \\u escape', 's = "ab\\u12g"\n'),
    ('truncated \\x escape', 's = "\\x1"\n'),
    ('malformed \\N escape', 's = "\\N"\n'),
    ('empty \\N name', 's = "\\N{}"\n'),
    ('unclosed \\N name', 's = "\\N{LATIN SMALL LETTER A"\n'),
    ('escape error after non-ASCII', 's = "é\\u12"\n'),
    ('escape error in a multi-line string', 's = \"\"\"a\n\\u12\nb\n\nc\"\"\" + x\n'),
    ('escape error in a concatenation', 's = ("a"\n     "\\u1")\n'),
    ('escape error then print', 's = "\\u1"\nprint x\n'),
    ('illegal code point', 's = "\\U00110000"\n'),
    ('bytes with non-ASCII', 's = b"é"\n'),
    ('bytes with a truncated \\x', 's = b"\\x1"\n'),
    ('bytes and str mixed', 's = (b"a"\n "b")\n'),
    ('valid escapes', 's = "\\N{EM DASH} \\u00e9 \\U0001F600 \\x41 \\d \\777"; b = rb"\\x1"; r = r"\\u1"; c = b"\\u1"\n'),
    ('unknown character name', 's = "\\N{NO SUCH NAME}"\n'),

    # --- from __future__ ----------------------------------------------------------------------------
    ('future imports after the docstring', '"""Doc."""\nfrom __future__ import division\n'
     'from __future__ import (absolute_import,\n    print_function)\n'),
    ('future import too late', 'import os\nfrom __future__ import division\n'),
    ('future import in a function', 'def f():\n    from __future__ import division\n'),
    ('unknown future feature', 'from __future__ import nope\n'),
    ('future braces', 'from __future__ import braces\n'),
    ('compile error before a late future import', 'import os\nreturn 1\nfrom __future__ import x\n'),

    # --- more Python 2 and async ----------------------------------------------------------------------
    ('exec of a call', 'exec compile(src, path, "exec") in ns\n'),
    ('print of a call', 'def f():\n    print len(x)\n'),
    ('tuple parameter with a default', 'def f(a, (b, c)=(1, 2)):\n    pass\n'),
    ('async comprehension in a plain function', 'def f():\n    return [x async for x in y]\n'),
    ('async comprehension inside a generator', 'async def f():\n    return ([i async for i in g] for j in k)\n'),
    ('comprehension over a bare tuple', 'x = [i for i in 1, 2]\n'),
    ('try without handlers at end of file', 'try:\n    pass\n\n# c\n'),
    ('coding declaration', '# -*- coding: uft-8 -*-\nx = 1\n'),

    # --- realistic loss files with one defect -----------------------------------------------------
    ('loss: indentation', 'import torch\nimport torch.nn as nn\n\n\nclass DiceLoss(nn.Module):\n'
     '    def __init__(self, smooth=1.0):\n        super().__init__()\n        self.smooth = smooth\n\n'
     '    def forward(self, logits, target):\n        probs = torch.sigmoid(logits)\n'
     '        inter = (probs * target).sum()\n        total = probs.sum() + target.sum()\n'
     '          dice = (2 * inter + self.smooth) / (total + self.smooth)\n        return 1 - dice\n'),
    ('loss: tabs and spaces', 'import torch\n\n\ndef dice_loss(pred, target, eps=1e-6):\n'
     '    inter = (pred * target).sum()\n\tunion = pred.sum() + target.sum()\n'
     '    return 1 - (2 * inter + eps) / (union + eps)\n'),
    ('loss: missing body', 'import torch\n\n\ndef dice_loss(pred, target):\n\n\ndef bce(pred, target):\n'
     '    return torch.nn.functional.binary_cross_entropy(pred, target)\n'),
    ('loss: python 2 octal constant', 'import numpy as np\nMASK = 0777\n\n\ndef loss(y_true, y_pred):\n'
     '    return np.mean((y_true - y_pred) ** 2)\n'),
    ('loss: unclosed bracket', 'import torch\n\n\ndef dice_loss(pred, target):\n'
     '    inter = (pred * target).sum(dim=(2, 3)\n    return 1 - inter\n'),
    ('loss: smart quote', 'import torch\n\n\ndef loss(pred, target):\n    """Dice.”\n    return 1 - pred\n'),
    ('loss: clean', 'import torch\n\n\ndef dice_loss(pred, target, eps=1.0):\n    p = torch.sigmoid(pred)\n'
     '    inter = (p * target).sum(dim=(2, 3))\n    union = p.sum(dim=(2, 3)) + target.sum(dim=(2, 3))\n'
     '    return (1 - (2 * inter + eps) / (union + eps)).mean()\n'),
]


# Valid since Python 3.12 (PEP 701 f-strings), rejected by 3.11: Loss Lens accepts them; the test
# expects that, whatever the verdict recorded here.
SINCE_3_12 = [
    ('f-string with the same quotes inside', 'd = {"k": 1}\ns = f"{d["k"]}"\n'),
    ('nested f-string with the same quotes', "s = f'{f' {x}' if x else ''} end'\n"),
    ('f-string field across lines with a comment', 's = f\"\"\"{\n  x  # the value\n  + 1}\"\"\"\n'),
    ('f-string field across lines', 's = f"{(\n  1 +\n  2)}"\n'),
    ('backslash in an f-string field', "s = f\"{'\\n'.join(xs)}\"\n"),
]


def verdict(source: bytes, path: str):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            compile(source, path, 'exec')
        except SyntaxError as error:
            return {'type': type(error).__name__, 'message': error.msg, 'line': error.lineno}
    return None


def main() -> None:
    names = [name for name, _ in SOURCES + SINCE_3_12]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        sys.exit(f'duplicate names: {sorted(duplicates)}')
    sources = [
        {'name': name, 'source': source, 'verdict': verdict(source.encode('utf-8'), '<source>')}
        for name, source in SOURCES
    ] + [
        {'name': name, 'source': source, 'verdict': verdict(source.encode('utf-8'), '<source>'), 'since': '3.12'}
        for name, source in SINCE_3_12
    ]
    files = [
        {'path': path.relative_to(ROOT).as_posix(), 'verdict': verdict(path.read_bytes(), str(path))}
        for folder in FILE_FOLDERS
        for path in sorted((ROOT / folder).rglob('*.py'))
    ]
    document = {
        '$comment': 'Generated by test/syntax/make_verdicts.py; read by test/engine/syntax.test.mjs.',
        'python': sys.version.split()[0],
        'sources': sources,
        'files': files,
    }
    OUT.write_text(json.dumps(document, indent=1, ensure_ascii=False) + '\n')
    rejected = sum(1 for s in sources if s['verdict'])
    print(f'{len(sources)} sources ({rejected} rejected), {len(files)} files '
          f'({sum(1 for f in files if f["verdict"])} rejected) -> {OUT.relative_to(ROOT)}')


if __name__ == '__main__':
    main()
