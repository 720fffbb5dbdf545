"""The LALR table, contextual lexers and rules of compiler/generated_parser.py, as
the data `lalr.items` drives: written by scripts/generate_parser.py, never edited by hand
(tests/test_generated_parser.py fails when it is stale). Reading a file without syntax
errors loads this module, not the standalone parser's runtime.
"""

START = 0  # the parser's first state
END = 1  # the state after the whole file is reduced to `start`

# Each lexer: its regexes, tried in order (the group that matched names the terminal), the
# terminals it skips, and {terminal: {keyword: terminal}}: a token of that terminal
# spelling a keyword is that keyword's.
SCANNERS = (((('(?P<WORD>(?:[^\\s"{}#$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")(?:[^\\s"{}$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")*)|(?P<COMMENT>#[^\n'
    ']*)|(?P<__IGNORE_0>[ \t]+)|(?P<_NL>\n'
    ')',
    32),),
  ('COMMENT', '__IGNORE_0'),
  {'WORD': {'install': 'INSTALL', 'run': 'RUN'}}),
 ((('(?P<COMMENT>#[^\n]*)|(?P<__IGNORE_0>[ \t]+)', 32),), ('COMMENT', '__IGNORE_0'), {}),
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
 ((('(?P<COMMENT>#[^\n]*)|(?P<__IGNORE_0>[ \t]+)|(?P<_NL>\n)', 32),),
  ('COMMENT', '__IGNORE_0'),
  {}),
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
    ']*)|(?P<__IGNORE_0>[ \t]+)|(?P<LBRACE>\\{)|(?P<RBRACE>\\})|(?P<_NL>\n'
    ')',
    32),),
  ('COMMENT', '__IGNORE_0'),
  {}),
 ((('(?P<WORD>(?:[^\\s"{}#$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")(?:[^\\s"{}$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")*)|(?P<COMMENT>#[^\n'
    ']*)|(?P<__IGNORE_0>[ \t]+)|(?P<RBRACE>\\})',
    32),),
  ('COMMENT', '__IGNORE_0'),
  {}),
 ((('(?P<WORD>(?:[^\\s"{}#$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")(?:[^\\s"{}$]|\\$\\{[^}\\s]*\\}|\\$(?!\\{)|"(?:[^"\\\\\n'
    ']|\\\\[^\n'
    '])*")*)|(?P<COMMENT>#[^\n'
    ']*)|(?P<__IGNORE_0>[ \t]+)|(?P<RBRACE>\\})',
    32),),
  ('COMMENT', '__IGNORE_0'),
  {'WORD': {'install': 'INSTALL', 'run': 'RUN'}}),
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
 ((('(?P<COMMENT>#[^\n]*)|(?P<__IGNORE_0>[ \t]+)|(?P<RBRACE>\\})', 32),),
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
  {}))

# parser state -> the lexer of its contextual lexer, an index into SCANNERS
LEXERS = {0: 0,
 1: 1,
 2: 2,
 3: 3,
 4: 3,
 5: 4,
 6: 3,
 7: 5,
 8: 6,
 9: 0,
 10: 7,
 11: 5,
 12: 3,
 13: 4,
 14: 3,
 15: 3,
 16: 6,
 17: 3,
 18: 8,
 19: 9,
 20: 0,
 21: 3,
 22: 10,
 23: 4,
 24: 11,
 25: 12,
 26: 3,
 27: 12,
 28: 10,
 29: 3,
 30: 8,
 31: 3,
 32: 4,
 33: 4,
 34: 4,
 35: 3,
 36: 0,
 37: 3,
 38: 3,
 39: 3,
 40: 11,
 41: 3,
 42: 7,
 43: 2,
 44: 9}

# A rule to reduce by: how many states it pops, the symbol it goes to, the children it
# keeps (each: index, spliced, for an inlined rule's children), the node it builds (None:
# the kept children, for the rule that takes them in).
RULES = ((0, 'start', (), 'start'),
 (2, 'statement', ((0, False), (1, True)), 'directive'),
 (4, 'block', ((0, False), (2, False)), 'block'),
 (4, 'block', ((0, False), (1, True)), 'block'),
 (2, '__statement_star_2', ((0, True), (1, False)), None),
 (1, 'inline', ((0, False),), 'directive'),
 (3, '__start_star_1', ((0, True), (1, True), (2, True)), None),
 (1, '__statement_star_2', ((0, False),), None),
 (5, 'block', ((0, False), (1, True), (3, False)), 'block'),
 (3, '__block_star_3', ((0, True), (1, False), (2, True)), None),
 (2, 'statement', ((0, False), (1, False)), 'shell'),
 (5, 'block', ((0, False), (2, True), (3, True)), 'block'),
 (2, 'inline', ((0, False), (1, True)), 'directive'),
 (2, 'start', ((0, True), (1, True)), 'start'),
 (1, 'start', ((0, True),), 'start'),
 (1, 'statement', ((0, False),), 'shell'),
 (2, '__start_plus_0', ((0, True),), None),
 (5, 'block', ((0, False), (1, True), (3, True)), 'block'),
 (1, 'statement', ((0, False),), 'directive'),
 (1, '_item', ((0, False),), None),
 (2, '__block_star_3', ((0, False), (1, True)), None),
 (1, '__start_plus_0', (), None),
 (6, 'block', ((0, False), (1, True), (3, True), (4, True)), 'block'),
 (2, '__start_star_1', ((0, True), (1, True)), None),
 (3, 'block', ((0, False),), 'block'),
 (4, 'block', ((0, False), (2, True)), 'block'))

# parser state -> {symbol: the next state (a shift, or the goto after a reduce), or ~i to
# reduce by RULES[i]}
ACTIONS = {0: {'$END': -1,
     'INSTALL': 22,
     'RUN': 28,
     'WORD': 43,
     '_NL': 34,
     '__start_plus_0': 20,
     '__start_star_1': 30,
     '_item': 3,
     'block': 31,
     'start': 1,
     'statement': 39},
 1: {},
 2: {'LBRACE': 19, 'WORD': 7, '_NL': -2},
 3: {'_NL': 34, '__start_plus_0': 36},
 4: {'_NL': -3},
 5: {'INSTALL': 22,
     'RBRACE': 38,
     'RUN': 28,
     'WORD': 27,
     '_NL': 23,
     '__block_star_3': 42,
     'statement': 29},
 6: {'_NL': -4},
 7: {'LBRACE': -5, 'RBRACE': -5, 'WORD': -5, '_NL': -5},
 8: {'RBRACE': -6, 'WORD': 11, '__statement_star_2': 16},
 9: {'$END': -7, 'INSTALL': -7, 'RUN': -7, 'WORD': -7, '_NL': 23},
 10: {'INSTALL': 22, 'RBRACE': 35, 'RUN': 28, 'WORD': 27, 'statement': 17},
 11: {'LBRACE': -8, 'RBRACE': -8, 'WORD': -8, '_NL': -8},
 12: {'_NL': -9},
 13: {'INSTALL': -10, 'RBRACE': -10, 'RUN': -10, 'WORD': -10, '_NL': 23},
 14: {'_NL': -11},
 15: {'_NL': -12},
 16: {'RBRACE': -13, 'WORD': 7},
 17: {'_NL': 34, '__start_plus_0': 13},
 18: {'$END': -14, 'INSTALL': 22, 'RUN': 28, 'WORD': 43, '_item': 21, 'block': 31, 'statement': 39},
 19: {'RBRACE': 6, 'WORD': 8, '_NL': 34, '__start_plus_0': 32, 'inline': 40},
 20: {'$END': -15,
      'INSTALL': 22,
      'RUN': 28,
      'WORD': 43,
      '_NL': 23,
      '__start_star_1': 18,
      '_item': 3,
      'block': 31,
      'statement': 39},
 21: {'_NL': 34, '__start_plus_0': 9},
 22: {'SHELL': 41, '_NL': -16},
 23: {'$END': -17, 'INSTALL': -17, 'RBRACE': -17, 'RUN': -17, 'WORD': -17, '_NL': -17},
 24: {'RBRACE': 4},
 25: {'WORD': 7, '_NL': -2},
 26: {'_NL': -18},
 27: {'WORD': 11, '_NL': -19, '__statement_star_2': 25},
 28: {'SHELL': 14, '_NL': -16},
 29: {'_NL': 34, '__start_plus_0': 33},
 30: {'$END': -15, 'INSTALL': 22, 'RUN': 28, 'WORD': 43, '_item': 21, 'block': 31, 'statement': 39},
 31: {'_NL': -20},
 32: {'INSTALL': 22,
      'RBRACE': 26,
      'RUN': 28,
      'WORD': 27,
      '_NL': 23,
      '__block_star_3': 10,
      'statement': 29},
 33: {'INSTALL': -21, 'RBRACE': -21, 'RUN': -21, 'WORD': -21, '_NL': 23},
 34: {'$END': -22, 'INSTALL': -22, 'RBRACE': -22, 'RUN': -22, 'WORD': -22, '_NL': -22},
 35: {'_NL': -23},
 36: {'$END': -24, 'INSTALL': -24, 'RUN': -24, 'WORD': -24, '_NL': 23},
 37: {'_NL': -25},
 38: {'_NL': -26},
 39: {'_NL': -20},
 40: {'RBRACE': 12},
 41: {'_NL': -11},
 42: {'INSTALL': 22, 'RBRACE': 15, 'RUN': 28, 'WORD': 27, 'statement': 17},
 43: {'LBRACE': 44, 'WORD': 11, '_NL': -19, '__statement_star_2': 2},
 44: {'RBRACE': 37, 'WORD': 8, '_NL': 34, '__start_plus_0': 5, 'inline': 24}}
