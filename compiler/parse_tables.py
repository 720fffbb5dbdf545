"""The LALR table, contextual lexers and rules of compiler/generated_parser.py, as
the data `lalr.items` drives: written by scripts/generate_parser.py, never edited by hand
(tests/test_generated_parser.py fails when it is stale). Reading a file without syntax
errors loads this module, not the standalone parser's runtime.
"""

START = 15  # the parser's first state
END = 14  # the state after the whole file is reduced to `start`

# Each lexer: its regexes, tried in order (the group that matched names the terminal), the
# terminals it skips, and {terminal: {keyword: terminal}}: a token of that terminal
# spelling a keyword is that keyword's.
SCANNERS = (((('(?P<COMMENT>#[^\n]*)|(?P<__IGNORE_0>[ \t]+)|(?P<_NL>\n)', 32),),
  ('COMMENT', '__IGNORE_0'),
  {}),
 ((('(?P<WORD>(?:[^\\s"{}#$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")(?:[^\\s"{}$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")*)|(?P<COMMENT>#[^\n'
    ']*)|(?P<__IGNORE_0>[ \t]+)',
    32),),
  ('COMMENT', '__IGNORE_0'),
  {'WORD': {'install': 'INSTALL', 'run': 'RUN'}}),
 ((('(?P<WORD>(?:[^\\s"{}#$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")(?:[^\\s"{}$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")*)|(?P<COMMENT>#[^\n'
    ']*)|(?P<__IGNORE_0>[ \t]+)|(?P<RBRACE>\\})|(?P<_NL>\n'
    ')',
    32),),
  ('COMMENT', '__IGNORE_0'),
  {'WORD': {'install': 'INSTALL', 'run': 'RUN'}}),
 ((('(?P<WORD>(?:[^\\s"{}#$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")(?:[^\\s"{}$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")*)|(?P<COMMENT>#[^\n'
    ']*)|(?P<__IGNORE_0>[ \t]+)|(?P<LBRACE>\\{)|(?P<_NL>\n'
    ')',
    32),),
  ('COMMENT', '__IGNORE_0'),
  {}),
 ((('(?P<SHELL>[^ \t\n'
    '](?:[^\n'
    '\\\\]|\\\\[^\n'
    ']|\\\\\n'
    '(?:[ \t]*#[^\n'
    ']*\n'
    ')*(?![ \t]*(?:\\}[ \t]*)?(?:\n'
    '|$))|\\\\(?=\n'
    '))*)|(?P<COMMENT>#[^\n'
    ']*)|(?P<__IGNORE_0>[ \t]+)|(?P<_NL>\n'
    ')',
    32),),
  ('COMMENT', '__IGNORE_0'),
  {}),
 ((('(?P<WORD>(?:[^\\s"{}#$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")(?:[^\\s"{}$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")*)|(?P<COMMENT>#[^\n'
    ']*)|(?P<__IGNORE_0>[ \t]+)|(?P<_NL>\n'
    ')',
    32),),
  ('COMMENT', '__IGNORE_0'),
  {}),
 ((('(?P<WORD>(?:[^\\s"{}#$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")(?:[^\\s"{}$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")*)|(?P<COMMENT>#[^\n'
    ']*)|(?P<__IGNORE_0>[ \t]+)|(?P<_NL>\n'
    ')',
    32),),
  ('COMMENT', '__IGNORE_0'),
  {'WORD': {'install': 'INSTALL', 'run': 'RUN'}}),
 ((('(?P<WORD>(?:[^\\s"{}#$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")(?:[^\\s"{}$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")*)|(?P<COMMENT>#[^\n'
    ']*)|(?P<__IGNORE_0>[ \t]+)|(?P<RBRACE>\\})',
    32),),
  ('COMMENT', '__IGNORE_0'),
  {'WORD': {'install': 'INSTALL', 'run': 'RUN'}}),
 ((('(?P<COMMENT>#[^\n]*)|(?P<__IGNORE_0>[ \t]+)', 32),), ('COMMENT', '__IGNORE_0'), {}),
 ((('(?P<COMMENT>#[^\n]*)|(?P<__IGNORE_0>[ \t]+)|(?P<RBRACE>\\})|(?P<_NL>\n)', 32),),
  ('COMMENT', '__IGNORE_0'),
  {}))

# parser state -> the lexer of its contextual lexer, an index into SCANNERS
LEXERS = {0: 0,
 1: 0,
 2: 1,
 3: 2,
 4: 3,
 5: 4,
 6: 2,
 7: 5,
 8: 6,
 9: 2,
 10: 2,
 11: 0,
 12: 0,
 13: 7,
 14: 8,
 15: 6,
 16: 1,
 17: 0,
 18: 4,
 19: 6,
 20: 0,
 21: 0,
 22: 9,
 23: 7,
 24: 2,
 25: 0,
 26: 3,
 27: 0,
 28: 0,
 29: 6,
 30: 5,
 31: 9,
 32: 3,
 33: 0,
 34: 0,
 35: 3,
 36: 2,
 37: 0,
 38: 0}

# A rule to reduce by: how many states it pops, the symbol it goes to, the children it
# keeps (each: index, spliced, for an inlined rule's children), the node it builds (None:
# the kept children, for the rule that takes them in).
RULES = ((6, 'block', ((0, False), (1, True), (3, True), (4, True)), 'block'),
 (1, '_item', ((0, False),), None),
 (2, 'start', ((0, True), (1, True)), 'start'),
 (2, '__statement_star_2', ((0, True), (1, False)), None),
 (1, 'statement', ((0, False),), 'shell'),
 (1, '__start_plus_0', (), None),
 (1, 'statement', ((0, False),), 'directive'),
 (1, 'start', ((0, True),), 'start'),
 (2, '__block_star_3', ((0, False), (1, True)), None),
 (0, 'start', (), 'start'),
 (4, 'block', ((0, False), (2, True)), 'block'),
 (3, '__start_star_1', ((0, True), (1, True), (2, True)), None),
 (4, 'block', ((0, False), (1, True)), 'block'),
 (3, 'block', ((0, False),), 'block'),
 (3, '__block_star_3', ((0, True), (1, False), (2, True)), None),
 (5, 'block', ((0, False), (2, True), (3, True)), 'block'),
 (2, 'statement', ((0, False), (1, True)), 'directive'),
 (2, '__start_star_1', ((0, True), (1, True)), None),
 (1, '__statement_star_2', ((0, False),), None),
 (2, 'statement', ((0, False), (1, False)), 'shell'),
 (2, '__start_plus_0', ((0, True),), None),
 (5, 'block', ((0, False), (1, True), (3, True)), 'block'))

# parser state -> {symbol: the next state (a shift, or the goto after a reduce), or ~i to
# reduce by RULES[i]}
ACTIONS = {0: {'_NL': -1},
 1: {'_NL': -2},
 2: {'$END': -3, 'INSTALL': 5, 'RUN': 18, 'WORD': 35, '_item': 33, 'block': 1, 'statement': 12},
 3: {'INSTALL': 5,
     'RBRACE': 38,
     'RUN': 18,
     'WORD': 7,
     '_NL': 36,
     '__block_star_3': 23,
     'statement': 27},
 4: {'LBRACE': -4, 'WORD': -4, '_NL': -4},
 5: {'SHELL': 37, '_NL': -5},
 6: {'$END': -6, 'INSTALL': -6, 'RBRACE': -6, 'RUN': -6, 'WORD': -6, '_NL': -6},
 7: {'WORD': 32, '_NL': -7, '__statement_star_2': 30},
 8: {'$END': -8,
     'INSTALL': 5,
     'RUN': 18,
     'WORD': 35,
     '_NL': 36,
     '__start_star_1': 2,
     '_item': 11,
     'block': 1,
     'statement': 12},
 9: {'INSTALL': 5,
     'RBRACE': 17,
     'RUN': 18,
     'WORD': 7,
     '_NL': 36,
     '__block_star_3': 13,
     'statement': 27},
 10: {'INSTALL': -9, 'RBRACE': -9, 'RUN': -9, 'WORD': -9, '_NL': 36},
 11: {'_NL': 6, '__start_plus_0': 29},
 12: {'_NL': -2},
 13: {'INSTALL': 5, 'RBRACE': 25, 'RUN': 18, 'WORD': 7, 'statement': 28},
 14: {},
 15: {'$END': -10,
      'INSTALL': 5,
      'RUN': 18,
      'WORD': 35,
      '_NL': 6,
      '__start_plus_0': 8,
      '__start_star_1': 16,
      '_item': 11,
      'block': 1,
      'start': 14,
      'statement': 12},
 16: {'$END': -8, 'INSTALL': 5, 'RUN': 18, 'WORD': 35, '_item': 33, 'block': 1, 'statement': 12},
 17: {'_NL': -11},
 18: {'SHELL': 34, '_NL': -5},
 19: {'$END': -12, 'INSTALL': -12, 'RUN': -12, 'WORD': -12, '_NL': 36},
 20: {'_NL': -13},
 21: {'_NL': -14},
 22: {'RBRACE': 20, '_NL': 6, '__start_plus_0': 3},
 23: {'INSTALL': 5, 'RBRACE': 0, 'RUN': 18, 'WORD': 7, 'statement': 28},
 24: {'INSTALL': -15, 'RBRACE': -15, 'RUN': -15, 'WORD': -15, '_NL': 36},
 25: {'_NL': -16},
 26: {'LBRACE': 22, 'WORD': 4, '_NL': -17},
 27: {'_NL': 6, '__start_plus_0': 10},
 28: {'_NL': 6, '__start_plus_0': 24},
 29: {'$END': -18, 'INSTALL': -18, 'RUN': -18, 'WORD': -18, '_NL': 36},
 30: {'WORD': 4, '_NL': -17},
 31: {'RBRACE': 21, '_NL': 6, '__start_plus_0': 9},
 32: {'LBRACE': -19, 'WORD': -19, '_NL': -19},
 33: {'_NL': 6, '__start_plus_0': 19},
 34: {'_NL': -20},
 35: {'LBRACE': 31, 'WORD': 32, '_NL': -7, '__statement_star_2': 26},
 36: {'$END': -21, 'INSTALL': -21, 'RBRACE': -21, 'RUN': -21, 'WORD': -21, '_NL': -21},
 37: {'_NL': -20},
 38: {'_NL': -22}}
