// Recursive descent over the precedence of spec 3.6, loosest first: AND/OR/XOR (one level, left to right), then
// comparisons, + -, * / %, IN, LIKE, unary NOT and -, and finally literals, attributes, EXISTS, calls, ( ).
#include "lexer.hpp"
#include "program.hpp"

#include <string>
#include <utility>

namespace eventhost::cesql {

namespace {

struct SyntaxError {
  uint32_t position;
  std::string reason;
};

enum class Keyword : uint8_t { None, And, Or, Xor, Not, Like, In, Exists, True, False };

Keyword keyword_of(const Token& t) {
  if (t.kind != TokenKind::Word || t.text.size() > 6) return Keyword::None;
  std::string upper(t.text);
  for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  static constexpr std::pair<std::string_view, Keyword> kKeywords[] = {
      {"AND", Keyword::And},   {"OR", Keyword::Or},         {"XOR", Keyword::Xor},
      {"NOT", Keyword::Not},   {"LIKE", Keyword::Like},     {"IN", Keyword::In},
      {"EXISTS", Keyword::Exists}, {"TRUE", Keyword::True}, {"FALSE", Keyword::False}};
  for (const auto& [word, k] : kKeywords) {
    if (upper == word) return k;
  }
  return Keyword::None;
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::End: return "the end of the expression";
    case TokenKind::String: return std::string(1, t.quote) + std::string(t.text) + t.quote;
    default: return "'" + std::string(t.text) + "'";
  }
}

// value-identifier ::= ( lowercase-char | digit )+ (spec 2.2)
bool is_attribute_name(std::string_view s) {
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return !s.empty();
}

// function-identifier ::= char ( "_" | char )* (spec 2.4)
bool is_function_name(std::string_view s) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (s.empty() || !letter(s.front())) return false;
  for (char c : s) {
    if (!letter(c) && c != '_') return false;
  }
  return true;
}

class Parser {
 public:
  Parser(Program& program, std::vector<Token> tokens) : p_(program), tokens_(std::move(tokens)) {}

  uint32_t parse() {
    uint32_t root = logic();
    if (peek().kind != TokenKind::End) fail(peek(), "unexpected " + describe(peek()) + " after a complete expression");
    return root;
  }

 private:
  const Token& peek(size_t ahead = 0) const {
    size_t i = at_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& take() { return tokens_[at_ < tokens_.size() - 1 ? at_++ : at_]; }
  bool at_keyword(Keyword k, size_t ahead = 0) const { return keyword_of(peek(ahead)) == k; }

  [[noreturn]] static void fail(const Token& t, std::string reason) { throw SyntaxError{t.position, std::move(reason)}; }

  void expect(TokenKind kind, std::string_view what) {
    if (peek().kind != kind) fail(peek(), "expected " + std::string(what) + ", found " + describe(peek()));
    take();
  }

  uint32_t add(Node node) {
    p_.nodes.push_back(std::move(node));
    return static_cast<uint32_t>(p_.nodes.size() - 1);
  }
  uint32_t binary(Op op, const Token& at, uint32_t left, uint32_t right) {
    Node n{op};
    n.position = at.position;
    n.left = left;
    n.right = right;
    return add(n);
  }
  uint32_t literal(const Token& at, Scalar value) {
    Node n{Op::Literal};
    n.position = at.position;
    n.literal = value;
    return add(n);
  }

  // Recursion depth of logic() and unary(), bounded so that neither parsing nor evaluation can exhaust the stack.
  struct Nesting {
    explicit Nesting(Parser& p) : parser(p) {
      if (++parser.depth_ > kMaxDepth) fail(parser.peek(), "expression nested too deeply");
    }
    ~Nesting() { --parser.depth_; }
    Parser& parser;
  };
  static constexpr int kMaxDepth = 200;

  uint32_t logic() {
    Nesting nesting(*this);
    uint32_t left = comparison();
    for (;;) {
      Keyword k = keyword_of(peek());
      Op op = k == Keyword::And ? Op::And : k == Keyword::Or ? Op::Or : k == Keyword::Xor ? Op::Xor : Op::Literal;
      if (op == Op::Literal) return left;
      const Token& t = take();
      left = binary(op, t, left, comparison());
    }
  }

  uint32_t comparison() {
    uint32_t left = additive();
    for (;;) {
      Op op;
      switch (peek().kind) {
        case TokenKind::Equal: op = Op::Equal; break;
        case TokenKind::NotEqual: op = Op::NotEqual; break;
        case TokenKind::Less: op = Op::Less; break;
        case TokenKind::LessEqual: op = Op::LessEqual; break;
        case TokenKind::Greater: op = Op::Greater; break;
        case TokenKind::GreaterEqual: op = Op::GreaterEqual; break;
        default: return left;
      }
      const Token& t = take();
      left = binary(op, t, left, additive());
    }
  }

  uint32_t additive() {
    uint32_t left = multiplicative();
    while (peek().kind == TokenKind::Plus || peek().kind == TokenKind::Minus) {
      const Token& t = take();
      left = binary(t.kind == TokenKind::Plus ? Op::Add : Op::Subtract, t, left, multiplicative());
    }
    return left;
  }

  uint32_t multiplicative() {
    uint32_t left = membership();
    for (;;) {
      Op op;
      switch (peek().kind) {
        case TokenKind::Star: op = Op::Multiply; break;
        case TokenKind::Slash: op = Op::Divide; break;
        case TokenKind::Percent: op = Op::Modulo; break;
        default: return left;
      }
      const Token& t = take();
      left = binary(op, t, left, membership());
    }
  }

  // x [NOT] IN (y1, y2, ...)
  uint32_t membership() {
    uint32_t subject = like();
    for (;;) {
      bool negated = at_keyword(Keyword::Not) && at_keyword(Keyword::In, 1);
      if (!negated && !at_keyword(Keyword::In)) return subject;
      if (negated) take();
      const Token& in = take();
      expect(TokenKind::LeftParen, "'(' to open the set after IN");
      std::vector<uint32_t> members{logic()};
      while (peek().kind == TokenKind::Comma) {
        take();
        members.push_back(logic());
      }
      expect(TokenKind::RightParen, "',' or ')' in the set after IN");
      Node n{Op::In};
      n.position = in.position;
      n.negated = negated;
      n.left = subject;
      n.first = static_cast<uint32_t>(p_.args.size());
      n.count = static_cast<uint32_t>(members.size());
      p_.args.insert(p_.args.end(), members.begin(), members.end());
      subject = add(n);
    }
  }

  // x [NOT] LIKE 'pattern'
  uint32_t like() {
    uint32_t subject = unary();
    for (;;) {
      bool negated = at_keyword(Keyword::Not) && at_keyword(Keyword::Like, 1);
      if (!negated && !at_keyword(Keyword::Like)) return subject;
      if (negated) take();
      const Token& op = take();
      if (peek().kind != TokenKind::String) {
        fail(peek(), "LIKE needs a string literal as its pattern, found " + describe(peek()));
      }
      Node n{Op::Like};
      n.position = op.position;
      n.negated = negated;
      n.left = subject;
      n.pattern = static_cast<uint32_t>(p_.patterns.size());
      p_.patterns.emplace_back(unescape(take()));
      subject = add(n);
    }
  }

  uint32_t unary() {
    Nesting nesting(*this);
    if (at_keyword(Keyword::Not)) {
      const Token& t = take();
      return binary(Op::Not, t, unary(), 0);
    }
    if (peek().kind == TokenKind::Minus || peek().kind == TokenKind::Plus) {
      const Token& sign = take();
      // A sign right before digits is part of the integer literal (spec 2.2), so -2147483648 is a valid literal.
      if (peek().kind == TokenKind::Integer) return integer(take(), sign.kind == TokenKind::Minus, sign);
      if (sign.kind == TokenKind::Plus) fail(sign, "'+' must be followed by an integer literal");
      return binary(Op::Negate, sign, unary(), 0);
    }
    return primary();
  }

  uint32_t primary() {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::Integer: return integer(take(), false, t);
      case TokenKind::String: return literal(t, Scalar::of(unescape(take())));
      case TokenKind::LeftParen: {
        take();
        uint32_t inner = logic();
        expect(TokenKind::RightParen, "')'");
        return inner;
      }
      case TokenKind::Word: return word();
      default: fail(t, "expected an expression, found " + describe(t));
    }
  }

  uint32_t word() {
    const Token& t = take();
    switch (keyword_of(t)) {
      case Keyword::True: return literal(t, Scalar::of(true));
      case Keyword::False: return literal(t, Scalar::of(false));
      case Keyword::Exists: {
        const Token& name = take();
        if (name.kind != TokenKind::Word || keyword_of(name) != Keyword::None || !is_attribute_name(name.text)) {
          fail(name, "EXISTS needs an attribute name (lower-case letters and digits), found " + describe(name));
        }
        Node n{Op::Exists};
        n.position = t.position;
        n.name = name.text;
        return add(n);
      }
      case Keyword::None: break;
      default: fail(t, "expected an expression, found the keyword " + describe(t));
    }
    if (peek().kind == TokenKind::LeftParen) return call(t);
    if (!is_attribute_name(t.text)) {
      fail(t, describe(t) + " is not an attribute name: attribute names are lower-case letters and digits");
    }
    Node n{Op::Attribute};
    n.position = t.position;
    n.name = t.text;
    return add(n);
  }

  uint32_t call(const Token& name) {
    if (!is_function_name(name.text)) {
      fail(name, describe(name) + " is not a function name: function names are letters and '_'");
    }
    take();  // (
    std::vector<uint32_t> arguments;
    if (peek().kind != TokenKind::RightParen) {
      arguments.push_back(logic());
      while (peek().kind == TokenKind::Comma) {
        take();
        arguments.push_back(logic());
      }
    }
    expect(TokenKind::RightParen, "',' or ')' after a function argument");
    Node n{Op::Call};
    n.position = name.position;
    n.name = name.text;
    n.function = find_function(name.text, arguments.size());
    n.first = static_cast<uint32_t>(p_.args.size());
    n.count = static_cast<uint32_t>(arguments.size());
    p_.args.insert(p_.args.end(), arguments.begin(), arguments.end());
    if (n.function == nullptr) {
      n.op = Op::UnknownCall;
      p_.diagnostics.push_back(Error{ErrorKind::MissingFunction, name.position,
                                     "no function " + std::string(name.text) + " taking " +
                                         std::to_string(arguments.size()) + " argument(s)"});
    }
    return add(n);
  }

  // Digits, with the sign token before them when there is one; must fit in 32 bits.
  uint32_t integer(const Token& digits, bool negative, const Token& start) {
    int64_t magnitude = 0;
    for (char c : digits.text) {
      magnitude = magnitude * 10 + (c - '0');
      if (magnitude > int64_t{INT32_MAX} + 1) break;
    }
    int64_t value = negative ? -magnitude : magnitude;
    if (value > INT32_MAX || value < INT32_MIN) {
      fail(start, "integer literal " + std::string(negative ? "-" : "") + std::string(digits.text) +
                      " does not fit in 32 bits");
    }
    return literal(start, Scalar::of(static_cast<int32_t>(value)));
  }

  // The literal's value: `\'` in a '-quoted string (`\"` in a "-quoted one) stands for the quote.
  std::string_view unescape(const Token& t) {
    std::string escaped{'\\', t.quote};
    if (t.text.find(escaped) == std::string_view::npos) return t.text;
    std::string& out = p_.strings.emplace_back();
    for (size_t i = 0; i < t.text.size(); ++i) {
      if (t.text[i] == '\\' && i + 1 < t.text.size() && t.text[i + 1] == t.quote) ++i;
      out.push_back(t.text[i]);
    }
    return out;
  }

  Program& p_;
  std::vector<Token> tokens_;
  size_t at_ = 0;
  int depth_ = 0;
};

}  // namespace

Status compile(Program& program) {
  auto tokens = tokenize(program.text);
  if (!tokens) return tokens.status();
  try {
    Parser parser(program, std::move(tokens.value()));
    program.root = parser.parse();
  } catch (const SyntaxError& e) {
    return parse_error(e.position, e.reason);
  }
  return Status::ok();
}

}  // namespace eventhost::cesql
