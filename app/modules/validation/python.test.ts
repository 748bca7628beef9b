import { describe, expect, it } from "vitest";
import { pythonSyntaxError } from "./python";

describe("pythonSyntaxError", () => {
  it.each([
    ["a decorated function", "@transaction.atomic\ndef commit(instance, data):\n    for attr, value in data.items():\n        setattr(instance, attr, value)\n    instance.save(update_fields=data.keys())\n"],
    ["match statements", "match x:\n    case [a, b]:\n        pass\n    case {'k': v}:\n        pass\n    case _:\n        pass\n"],
    ["f-strings with nested quotes and formats", 'print(f"{x["a"]!r:>{w}}")\nf\'{x:{w}.{p}}\'\n'],
    ["type aliases and generics", "type Point = tuple[float, float]\nclass Box[T]:\n    pass\n"],
    ["except*, walrus, async", "try:\n    pass\nexcept* ValueError:\n    pass\nwhile (line := f.readline()):\n    pass\nasync def f():\n    async with a as b:\n        await b\n"],
    ["parenthesised context managers", "with (\n    open(a) as f,\n    open(b) as g,\n):\n    pass\n"],
    ["brackets, backslashes and comments across lines", "x = [\n  1,\n      2,\n]\ny = 1 + \\\n      2\nif x:\n# odd comment\n    pass\n"],
    ["escaped quotes and raw strings", 'a = "a\\"b"\nb = "a\\\\"\nc = r\'\\d+\'\nd = """a\nb"""\n'],
    ["one-line blocks and lambdas", "if x: pass\nf = lambda: 0\nd = {'a':\n  1}\n"],
    ["an empty block or only comments", "# nothing\n"],
  ])("accepts %s", (_name, code) => {
    expect(pythonSyntaxError(code)).toBeNull();
  });

  it.each([
    ["a missing colon", "def f(x)\n    return x\n", 1, 9, "expected `:` at the end of this `def` line"],
    ["an unclosed bracket", "foo(1, 2\nbar = 3\n", 1, 4, "`(` is never closed"],
    ["a missing indented block", "def f():\nreturn 1\n", 2, 1, "expected an indented block"],
    ["a block opener at the end", "class Meta:\n", 1, 12, "expected an indented block"],
    ["an unexpected indent", "x = 1\n    y = 2\n", 2, 5, "unexpected indent"],
    ["an indented first line", "    def save(self):\n        pass\n", 1, 5, "unexpected indent"],
    ["a dedent to no outer level", "if x:\n        a = 1\n    b = 2\n", 3, 5, "matches no outer block"],
    ["a doubled operator", "x = = 1\n", 1, 5, "unexpected `=`"],
    ["an unterminated string", 'x = "abc\ny = 1\n', 1, 5, "unterminated string literal"],
    ["an unterminated triple-quoted string", 'x = """a\nb\n', 1, 5, "unterminated triple-quoted string"],
    ["Python 2's print statement", 'print "hello"\n', 1, 1, "`print x` is Python 2"],
    ["a stray else", "else:\n    pass\n", 1, 1, "unexpected"],
    ["JavaScript", "const x = 1;\n", 1, 7, "unexpected"],
    ["a shell prompt", "$ pip install django\n", 1, 1, "unexpected"],
  ])("reports %s at its line and column", (_name, code, line, column, message) => {
    const error = pythonSyntaxError(code);
    expect(error).toMatchObject({ line, column });
    expect(error?.message).toContain(message);
  });

  it("reports the first problem when there are several", () => {
    expect(pythonSyntaxError("x = 1\ny = = 2\nz = (\n")).toMatchObject({ line: 2, column: 5 });
  });
});
