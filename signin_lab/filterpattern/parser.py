"""A Pratt parser: pattern text -> a tree of `nodes`, or FilterPatternError with a column.

The kind of pattern is chosen by its first non-blank character, as in AWS's documentation
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
`{` JSON, `[` space-delimited, `%` a standalone regex, anything else terms.
"""

from __future__ import annotations

import re

from signin_lab.filterpattern import nodes
from signin_lab.filterpattern.errors import error
from signin_lab.filterpattern.lexer import Token, parse_number, scan_regex, scan_terms, tokenize

#: "Length Constraints: Minimum length of 0. Maximum length of 1024." (API_TestMetricFilter,
#: API_PutMetricFilter).
MAX_LENGTH = 1024
#: "There is a limit of 2 regex for each filter pattern when creating a delimited or JSON filter
#: pattern" (FilterAndPatternSyntax, Quotas; API_PutMetricFilter).
MAX_REGEX_PER_PATTERN = 2
#: "You can only use up to one wildcard selector in a property selector, and up to three wildcard
#: selectors in a filter pattern with compound expressions." (FilterAndPatternSyntax)
MAX_WILDCARDS_PER_SELECTOR = 1
MAX_WILDCARDS_PER_PATTERN = 3
#: Not an AWS limit: keeps the recursive parser and evaluator far from Python's stack limit.
MAX_DEPTH = 64

_BINDING = {"or": 1, "and": 2}  # "() > && > ||" (FilterAndPatternSyntax)
_COMPARE_OPS = ("=", "!=", "<", ">", "<=", ">=")
_ORDERING = ("<", ">", "<=", ">=")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def parse(pattern: str) -> nodes.Pattern:
    """Parse a whole filter pattern; raises FilterPatternError (kind, column) if invalid."""
    if len(pattern) > MAX_LENGTH:
        raise error(
            pattern, MAX_LENGTH, f"a filter pattern has at most {MAX_LENGTH} characters, "
            f"this one has {len(pattern)}", "too_long",
        )
    stripped = pattern.lstrip()
    if not stripped:
        return nodes.MatchAll()  # the API allows an empty pattern; it matches every event
    first = len(pattern) - len(stripped)
    head = stripped[0]
    if head == "{":
        return _ExprParser(pattern, first).json_pattern()
    if head == "[":
        return _ExprParser(pattern, first).space_pattern()
    if head == "%":
        regex = scan_regex(pattern, first)
        after = regex.start + len(regex.source) + 2
        if pattern[after:].strip():
            rest = after + (len(pattern[after:]) - len(pattern[after:].lstrip()))
            raise error(pattern, rest, "nothing may follow a standalone %regex%")
        return nodes.RegexPattern(regex)
    terms = scan_terms(pattern)
    # "You can match everything in your log events with double quotation marks": `" "` (current
    # doc), `""` (2021 doc). Decision: a pattern made only of blank quoted terms matches all;
    # a blank phrase next to other terms is an ordinary (always present / absent) substring.
    if all(t.quoted and t.mode == "include" and not t.text.strip() for t in terms):
        return nodes.MatchAll()
    return nodes.TermPattern(tuple(terms))


class _ExprParser:
    """Pratt parser over the tokens of a JSON or space-delimited pattern."""

    def __init__(self, pattern: str, start: int) -> None:
        self.pattern = pattern
        self.tokens = list(tokenize(pattern, start))
        self.pos = 0
        self.depth = 0
        self.mode: str = "json"
        regexes = [t for t in self.tokens if t.type == "regex"]
        if len(regexes) > MAX_REGEX_PER_PATTERN:
            raise error(
                pattern, regexes[MAX_REGEX_PER_PATTERN].start,
                f"at most {MAX_REGEX_PER_PATTERN} regexes in one JSON or space-delimited pattern",
                "regex_count",
            )

    # -- token helpers ----------------------------------------------------------------------
    def peek(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        if tok.type != "eof":
            self.pos += 1
        return tok

    def expect(self, type_: str, what: str) -> Token:
        tok = self.peek()
        if tok.type != type_:
            raise self.unexpected(tok, what)
        return self.advance()

    def unexpected(self, tok: Token, what: str):
        found = "the end of the pattern" if tok.type == "eof" else repr(self.pattern[tok.start : tok.end])
        return error(self.pattern, tok.start, f"expected {what}, found {found}")

    # -- the Pratt loop ---------------------------------------------------------------------
    def expression(self, rbp: int = 0) -> nodes.Expr:
        left = self.nud(self.advance())
        while _BINDING.get(self.peek().type, 0) > rbp:
            tok = self.advance()
            right = self.expression(_BINDING[tok.type])
            cls = nodes.And if tok.type == "and" else nodes.Or
            items = (left.items if isinstance(left, cls) else (left,)) + (
                right.items if isinstance(right, cls) else (right,)
            )
            left = cls(items)
        return left

    def nud(self, tok: Token) -> nodes.Expr:
        if tok.type == "lparen":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise error(self.pattern, tok.start, f"parentheses nested deeper than {MAX_DEPTH}", "too_deep")
            inner = self.expression()
            self.expect("rparen", "')'")
            self.depth -= 1
            return inner
        if self.mode == "json":
            if tok.type == "selector":
                return self.json_condition(tok.value)
            raise self.unexpected(tok, "a property selector ($.field) or '('")
        if tok.type == "word":
            return self.field_condition(tok)
        raise self.unexpected(tok, "a field condition (name = value) or '('")

    # -- JSON ------------------------------------------------------------------------------
    def json_pattern(self) -> nodes.JsonPattern:
        self.expect("lbrace", "'{'")
        expr = self.expression()
        self.expect("rbrace", "'&&', '||' or '}'")
        self.expect("eof", "the end of the pattern after '}'")
        selectors = _selectors(expr)
        total = 0
        for sel in selectors:
            positions = [i for i, s in enumerate(sel.segments) if isinstance(s, (nodes.AnyKey, nodes.AnyIndex))]
            if len(positions) > MAX_WILDCARDS_PER_SELECTOR:
                raise error(
                    self.pattern, _wildcard_offset(sel, MAX_WILDCARDS_PER_SELECTOR),
                    f"at most {MAX_WILDCARDS_PER_SELECTOR} wildcard in one property selector",
                    "wildcard_count",
                )
            total += len(positions)
            if total > MAX_WILDCARDS_PER_PATTERN:
                raise error(
                    self.pattern, _wildcard_offset(sel, 0),
                    f"at most {MAX_WILDCARDS_PER_PATTERN} wildcard selectors in one filter pattern",
                    "wildcard_count",
                )
        return nodes.JsonPattern(expr)

    def json_condition(self, selector: nodes.Selector) -> nodes.Expr:
        tok = self.advance()
        if tok.type in _COMPARE_OPS:
            return nodes.Compare(selector, tok.type, self.value(tok))  # type: ignore[arg-type]
        word = tok.value.upper() if tok.type == "word" else None
        # Decision (undocumented): keywords are case-insensitive (`is null` == `IS NULL`).
        if word == "IS":
            what = self.advance()
            w = what.value.upper() if what.type == "word" else None
            if w in ("NULL", "TRUE", "FALSE"):
                return nodes.IsCheck(selector, w)  # type: ignore[arg-type]
            if w == "NOT":
                # "The variables IS NOT and EXISTS currently aren't supported." (FilterAndPatternSyntax)
                raise error(self.pattern, tok.start, "IS NOT is not supported by CloudWatch Logs",
                            "unsupported_operator")
            raise self.unexpected(what, "NULL, TRUE or FALSE after IS")
        if word == "NOT":
            what = self.advance()
            if what.type == "word" and what.value.upper() == "EXISTS":
                return nodes.NotExists(selector)
            raise self.unexpected(what, "EXISTS after NOT")
        if word == "EXISTS":
            raise error(self.pattern, tok.start, "EXISTS is not supported; only NOT EXISTS is",
                        "unsupported_operator")
        raise self.unexpected(tok, "an operator (=, !=, <, >, <=, >=, IS, NOT EXISTS)")

    # -- values -----------------------------------------------------------------------------
    def value(self, op_tok: Token) -> nodes.Value:
        tok = self.advance()
        if tok.type == "regex":
            val: nodes.Value = tok.value
        elif tok.type == "string":
            val = _text(self.pattern[tok.start : tok.end], tok.value, tok.start)
        elif tok.type == "word":
            number = parse_number(tok.value)
            if number is not None:
                val = nodes.Number(tok.value, number, tok.start)
            else:
                val = _text(tok.value, tok.value, tok.start)
        else:
            raise self.unexpected(tok, f"a value after '{op_tok.value}'")
        if op_tok.type in _ORDERING and not isinstance(val, nodes.Number):
            raise error(
                self.pattern, tok.start,
                f"'{op_tok.value}' compares numbers; {self.pattern[tok.start:tok.end]} is not a number",
                "unsupported_operator",
            )
        return val

    # -- space-delimited ---------------------------------------------------------------------
    def space_pattern(self) -> nodes.SpacePattern:
        self.mode = "space"
        self.expect("lbracket", "'['")
        fields: list[nodes.Field | nodes.Ellipsis_] = []
        names: set[str] = set()
        if self.peek().type == "rbracket":
            # `[]` extracts every field as $1..$n (API_TestMetricFilter example): like `[...]`.
            self.advance()
            fields.append(nodes.Ellipsis_())
        else:
            while True:
                item = self.space_field()
                if isinstance(item, nodes.Field) and item.name is not None:
                    if item.name in names:
                        raise error(self.pattern, item.start, f"field name {item.name!r} is used twice")
                    names.add(item.name)
                fields.append(item)
                tok = self.advance()
                if tok.type == "rbracket":
                    break
                if tok.type != "comma":
                    raise self.unexpected(tok, "',' or ']'")
                if self.peek().type == "rbracket":
                    # A trailing comma adds one unnamed field: `[..., request=*.html*,
                    # status_code=4*,]` reports the last field as $7 (API_TestMetricFilter).
                    fields.append(nodes.Field(None, None, self.peek().start))
                    self.advance()
                    break
        self.expect("eof", "the end of the pattern after ']'")
        return nodes.SpacePattern(tuple(fields))

    def space_field(self) -> nodes.Field | nodes.Ellipsis_:
        tok = self.peek()
        if tok.type == "ellipsis":
            self.advance()
            return nodes.Ellipsis_()
        if tok.type in ("comma", "rbracket"):
            return nodes.Field(None, None, tok.start)  # an empty field: unnamed
        if tok.type == "word" and self.tokens[self.pos + 1].type in ("comma", "rbracket"):
            self.advance()
            return nodes.Field(self.field_name(tok), None, tok.start)
        condition = self.expression()
        return nodes.Field(_first_name(condition), condition, tok.start)

    def field_name(self, tok: Token) -> str:
        if not _FIELD_NAME.match(tok.value):
            raise error(self.pattern, tok.start,
                        f"{tok.value!r} is not a field name (letters, digits and '_')")
        return tok.value

    def field_condition(self, name_tok: Token) -> nodes.Expr:
        # Decision: every condition inside a field applies to that field. AWS's examples repeat
        # the field's name in each condition (`status_code = 404 || status_code = 410`), but the
        # 2022 doc writes `[w1=ERROR || W1=WARNING, w2]` and the 2021 doc `status_code = 4* &&
        # bytes > 1000` in one field; the later names are read but not checked.
        name = self.field_name(name_tok)
        op = self.advance()
        if op.type not in _COMPARE_OPS:
            raise self.unexpected(op, f"an operator (=, !=, <, >, <=, >=) after {name!r}")
        return nodes.Compare(name, op.type, self.value(op))  # type: ignore[arg-type]


def _text(source: str, content: str, start: int) -> nodes.Text:
    """A string value. `*` at the start and/or end is a wildcard; one inside is literal.

    Decision: the 2021 doc says "*Event will match PutEvent and GetEvent. Event* will match
    EventId and EventName. Ev*ent will only match the actual string Ev*ent"; the current doc
    only shows stars at the ends (`123.123.*`, `*.html*`, `"*"`). Quotes do not turn stars off
    (`"*UnauthorizedOperation"` in CIS CloudWatch.2).
    """
    prefix = content.startswith("*")
    core = content[1:] if prefix else content
    suffix = core.endswith("*")
    if suffix:
        core = core[:-1]
    return nodes.Text(source, core, prefix, suffix, start)


def _selectors(expr: nodes.Expr) -> list[nodes.Selector]:
    if isinstance(expr, (nodes.And, nodes.Or)):
        return [s for item in expr.items for s in _selectors(item)]
    target = expr.target
    return [target] if isinstance(target, nodes.Selector) else []


def _wildcard_offset(sel: nodes.Selector, nth: int) -> int:
    """Offset in the pattern of the nth wildcard `*` of a selector."""
    seen = -1
    for i, c in enumerate(sel.text):
        if c == "*":
            seen += 1
            if seen == nth:
                return sel.start + i
    return sel.start


def _first_name(expr: nodes.Expr) -> str:
    while isinstance(expr, (nodes.And, nodes.Or)):
        expr = expr.items[0]
    return str(expr.target)
