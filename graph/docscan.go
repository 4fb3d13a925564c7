package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
)

// Bounds of a GraphQL document, checked on its text before gqlgen parses
// and validates it. Parsing is linear, but validation is not: gqlparser
// walks every fragment once for each definition that reaches it, and
// OverlappingFieldsCanBeMerged compares every pair of fields that share a
// response name at the same place of the answer; and gqlgen's execution
// merges an object's selections with a linear search, for every object.
// Past these bounds the work grew to seconds (6,000 chained fragments:
// 16 s; 3,000 same-named fields: 2 s; 4,990 aliases on each log of a page:
// 51 s); within them any document of up to 1 MiB is accepted or refused
// in at most some 30 ms of CPU on a 2-core machine, parsing and validation
// included (BenchmarkCostCheck). Each bound was set from those
// measurements, the worst document that passes it measured too.
//
// The figures leave real clients a wide margin: the introspection queries
// of GraphiQL and graphql-codegen have 3 fragments, 70 selections, 160
// tokens and a depth of 13 to 15; an application's documents built from
// Relay or Apollo fragments have tens of fragments and hundreds of fields
// (relayDoc, in the tests: 60 fragments, 1,150 selections, 2,500 tokens).
const (
	// MaxQueryTokens bounds the tokens of a document (names, punctuation,
	// values, comments, as gqlgen's parser counts them; it is given the
	// same limit). Validation makes an error of each bad value, some
	// 1.5 µs: at 50,000 tokens a list of unknown enum values took 70 ms.
	MaxQueryTokens = 20_000
	// MaxQueryFragments bounds the fragment definitions of a document.
	MaxQueryFragments = 100
	// MaxQuerySelections bounds the fields, fragment spreads and inline
	// fragments written in a document; each alias is a field.
	MaxQuerySelections = 5_000
	// MaxExpandedSelections bounds the selections of the document with
	// every fragment spread replaced by its selections (the operations,
	// and the fragments no operation reaches): a fragment spread twice in
	// each of 24 nested fragments is 2^24 selections in 2 KB.
	MaxExpandedSelections = 10_000
	// MaxQueryDepth bounds the nesting of fields with fragments expanded,
	// and of selection sets and values as written: the parser, the
	// validator and the executor recurse on each level.
	MaxQueryDepth = 24
	// MaxFieldArguments bounds the arguments of one field or directive,
	// and the variables of an operation: validation matches the arguments
	// of two same-named fields pairwise, and looks each variable up in a
	// list.
	MaxFieldArguments = 100
	// MaxMergeComparisons bounds the pairs of fields sharing a response
	// name at one place of the answer, with fragments expanded, which
	// OverlappingFieldsCanBeMerged compares one by one, their arguments
	// and values with them (some 140 ns a pair). Fields of different
	// names are never compared: repeated fields want aliases.
	MaxMergeComparisons = 100_000
	// MaxSpreadComparisons bounds the comparisons OverlappingFieldsCanBeMerged
	// makes between fragments spread in one selection set, and between a
	// set's fields and the fragments it spreads: one a field of either.
	MaxSpreadComparisons = 200_000
	// MaxObjectSelections bounds the selections merged into one object,
	// each counted once more for every fragment it is reached through:
	// gqlgen merges them again for every object it resolves there, with a
	// linear search, so past a thousand the merging cost each field of the
	// answer more than resolving it.
	MaxObjectSelections = 1_000
	// MaxFragmentWalk bounds the selections gqlparser's validation visits:
	// each operation and each fragment definition is walked with every
	// fragment it reaches, so a chain of fragments is walked once per link.
	MaxFragmentWalk = 100_000
)

// DocumentLimits is the gqlgen extension that refuses, before gqlgen
// parses it, a document past one of the bounds above, with
// COMPLEXITY_LIMIT_EXCEEDED and a message naming the bound and what to
// change. It reads the text once with gqlparser's lexer and keeps a small
// outline (one entry a selection), so the check is linear in the
// document's size whatever its shape; what it cannot read (a syntax
// error) it leaves to the parser, which reports it.
type DocumentLimits struct{}

var (
	_ graphql.HandlerExtension          = DocumentLimits{}
	_ graphql.OperationParameterMutator = DocumentLimits{}
)

// ExtensionName implements graphql.HandlerExtension.
func (DocumentLimits) ExtensionName() string { return "DocumentLimits" }

// Validate implements graphql.HandlerExtension.
func (DocumentLimits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (DocumentLimits) MutateOperationParameters(_ context.Context, params *graphql.RawParams) *gqlerror.Error {
	if params == nil || params.Query == "" {
		return nil // a persisted query's hash: its text was checked when it was stored
	}
	if err := checkDocument(params.Query); err != nil {
		return err.gqlError()
	}
	return nil
}

// docBoundError is a document past one bound.
type docBoundError struct {
	bound string // the extensions' name of the bound
	limit int
	msg   string
	code  string // CodeCostLimit when ""
}

func (e *docBoundError) gqlError() *gqlerror.Error {
	code := e.code
	if code == "" {
		code = CodeCostLimit
	}
	ext := map[string]any{"code": code, "bound": e.bound}
	if e.limit > 0 {
		ext["limit"] = e.limit
	}
	return &gqlerror.Error{Message: e.msg, Extensions: ext}
}

// checkDocument returns the first bound query is past, or nil, also for a
// document it cannot read: the parser refuses those.
func checkDocument(query string) *docBoundError {
	s := &docScanner{lex: lexer.New(&ast.Source{Input: query}), frags: map[string]int32{}}
	s.document()
	if s.refused != nil {
		return s.refused
	}
	if s.unreadable {
		return nil
	}
	return s.outline().check()
}

// selKind is what a selection of the outline is.
type selKind uint8

const (
	selField selKind = iota
	selSpread
	selInline
)

// outlineSel is one selection: a field under its response name, a spread
// under its fragment's name, or an inline fragment. Selection sets are
// linked lists: child is the first selection of its own set, next its
// sibling; -1 is none.
type outlineSel struct {
	name        string
	kind        selKind
	child, next int32
	// args and argTokens are a field's arguments and the tokens of their
	// values: what comparing two same-named fields costs.
	args, argTokens int32
}

// outlineDef is an operation or a fragment definition: first is the first
// selection of its set.
type outlineDef struct {
	fragment bool
	first    int32
}

// docScanner reads a document into an outline, refusing it as soon as it
// passes a bound that needs no more than the text: tokens, selections,
// fragments, depth as written, arguments.
type docScanner struct {
	lex    lexer.Lexer
	tok    token
	peeked bool
	tokens int

	sels  []outlineSel
	defs  []outlineDef
	frags map[string]int32 // fragment name → its definition (the first of that name)
	// fragments counts fragment definitions, duplicates included: each
	// is validated.
	fragments int

	// mutations holds the response names of the root fields of the
	// mutation being read, while its root set is read: past
	// MaxRootMutations the document is refused as Requests would, before
	// 5,000 aliased mutations reach a bound of their own.
	mutations map[string]bool

	refused    *docBoundError
	unreadable bool // a syntax error: the parser will say where
}

// token is what the scanner keeps of a lexer.Token: a fifth of its size,
// copied at each step.
type token struct {
	kind  lexer.Type
	value string
}

// stopped reports whether reading is over.
func (s *docScanner) stopped() bool { return s.refused != nil || s.unreadable }

func (s *docScanner) peek() token {
	if !s.peeked {
		s.tok = s.read()
		s.peeked = true
	}
	return s.tok
}

func (s *docScanner) next() token {
	t := s.peek()
	s.peeked = false
	return t
}

// read is the next token but comments, counted; EOF once reading stopped.
func (s *docScanner) read() token {
	for !s.stopped() {
		t, err := s.lex.ReadToken()
		if err != nil {
			s.unreadable = true
			break
		}
		if t.Kind == lexer.EOF {
			return token{kind: lexer.EOF}
		}
		// Comments count, as the parser counts them.
		if s.tokens++; s.tokens > MaxQueryTokens {
			s.refuse("tokens", MaxQueryTokens, "the document has more than %d tokens: send smaller operations, "+
				"and large values as variables", MaxQueryTokens)
			break
		}
		if t.Kind != lexer.Comment {
			return token{kind: t.Kind, value: t.Value}
		}
	}
	return token{kind: lexer.EOF}
}

func (s *docScanner) refuse(bound string, limit int, format string, args ...any) {
	if s.refused == nil {
		s.refused = &docBoundError{bound: bound, limit: limit, msg: fmt.Sprintf(format, args...)}
	}
}

// expect reads a token of kind k; anything else is a syntax error.
func (s *docScanner) expect(k lexer.Type) token {
	t := s.next()
	if t.kind != k {
		s.unreadable = s.unreadable || s.refused == nil
	}
	return t
}

func (s *docScanner) document() {
	for !s.stopped() {
		t := s.next()
		switch {
		case t.kind == lexer.EOF:
			return
		case t.kind == lexer.BraceL:
			s.definition(false, "")
		case t.kind == lexer.Name && (t.value == "query" || t.value == "mutation" || t.value == "subscription"):
			if s.peek().kind == lexer.Name {
				s.next()
			}
			if s.peek().kind == lexer.ParenL {
				s.next()
				s.parens()
			}
			s.directives()
			s.expect(lexer.BraceL)
			if t.value == "mutation" {
				s.mutations = map[string]bool{}
			}
			s.definition(false, "")
			s.mutations = nil
		case t.kind == lexer.Name && t.value == "fragment":
			name := s.expect(lexer.Name)
			if on := s.expect(lexer.Name); on.value != "on" {
				s.unreadable = true
			}
			s.expect(lexer.Name)
			s.directives()
			s.expect(lexer.BraceL)
			s.definition(true, name.value)
		default:
			s.unreadable = true // a type system definition, or not GraphQL
		}
	}
}

// definition reads the selection set of an operation or a fragment, its
// opening brace read.
func (s *docScanner) definition(fragment bool, name string) {
	if s.stopped() {
		return
	}
	if fragment {
		if s.fragments++; s.fragments > MaxQueryFragments {
			s.refuse("fragments", MaxQueryFragments, "the document defines more than %d fragments: "+
				"send only the fragments its operation uses", MaxQueryFragments)
			return
		}
		if _, dup := s.frags[name]; !dup {
			s.frags[name] = int32(len(s.defs))
		}
	}
	s.defs = append(s.defs, outlineDef{fragment: fragment, first: -1})
	d := len(s.defs) - 1
	s.defs[d].first = s.selectionSet(1)
}

// selectionSet reads selections up to the closing brace, the opening one
// read, and returns the first (-1 for none).
func (s *docScanner) selectionSet(depth int) int32 {
	if depth > MaxQueryDepth {
		s.refuse("depth", MaxQueryDepth, "the document nests selections more than %d levels deep: "+
			"ask for less nested data, and the rest in another query", MaxQueryDepth)
		return -1
	}
	first, last := int32(-1), int32(-1)
	for !s.stopped() {
		t := s.next()
		var sel outlineSel
		switch t.kind {
		case lexer.BraceR:
			s.unreadable = s.unreadable || first < 0 // an empty set
			return first
		case lexer.Spread:
			sel = s.fragmentSelection(depth)
		case lexer.Name:
			sel = s.field(t, depth)
		default:
			s.unreadable = true
			return first
		}
		if s.stopped() {
			return first
		}
		if len(s.sels) == MaxQuerySelections {
			s.refuse("selections", MaxQuerySelections, "the document has more than %d fields and fragments "+
				"(each alias counts): ask for fewer fields, or split it into several queries", MaxQuerySelections)
			return first
		}
		s.sels = append(s.sels, sel)
		i := int32(len(s.sels) - 1)
		if last < 0 {
			first = i
		} else {
			s.sels[last].next = i
		}
		last = i
	}
	return first
}

// field reads a field whose first name is t. Its selection set is read
// before it is added: its children come first in the outline.
func (s *docScanner) field(t token, depth int) outlineSel {
	sel := outlineSel{name: t.value, kind: selField, child: -1, next: -1}
	if s.peek().kind == lexer.Colon {
		s.next()
		s.expect(lexer.Name)
	}
	if depth == 1 && s.mutations != nil {
		if s.mutations[sel.name] = true; len(s.mutations) > MaxRootMutations {
			s.refused = &docBoundError{bound: "mutations", limit: MaxRootMutations, code: CodeBadUserInput,
				msg: fmt.Sprintf("more than %d mutations in one request; at most %d: send them in several",
					MaxRootMutations, MaxRootMutations)}
			return sel
		}
	}
	if s.peek().kind == lexer.ParenL {
		s.next()
		before := s.tokens
		sel.args = s.parens()
		sel.argTokens = int32(s.tokens - before)
	}
	s.directives()
	if s.peek().kind == lexer.BraceL {
		s.next()
		sel.child = s.selectionSet(depth + 1)
	}
	return sel
}

// fragmentSelection reads a spread or an inline fragment, "..." read.
func (s *docScanner) fragmentSelection(depth int) outlineSel {
	if t := s.peek(); t.kind == lexer.Name && t.value != "on" {
		s.next()
		s.directives()
		return outlineSel{name: t.value, kind: selSpread, child: -1, next: -1}
	}
	if t := s.peek(); t.kind == lexer.Name { // on Type
		s.next()
		s.expect(lexer.Name)
	}
	s.directives()
	s.expect(lexer.BraceL)
	return outlineSel{kind: selInline, child: s.selectionSet(depth + 1), next: -1}
}

func (s *docScanner) directives() {
	for !s.stopped() && s.peek().kind == lexer.At {
		s.next()
		s.expect(lexer.Name)
		if s.peek().kind == lexer.ParenL {
			s.next()
			s.parens()
		}
	}
}

// parens skips arguments or variable definitions, "(" read, and returns
// how many there are. Values nest in brackets and braces; only the
// parentheses' own colons are arguments.
func (s *docScanner) parens() int32 {
	var open []lexer.Type // what encloses the token read, innermost last
	open = append(open, lexer.ParenL)
	args := int32(0)
	for !s.stopped() {
		t := s.next()
		switch t.kind {
		case lexer.ParenL, lexer.BracketL, lexer.BraceL:
			if len(open) > MaxQueryDepth {
				s.refuse("depth", MaxQueryDepth, "a value nests more than %d levels deep: send it as a variable", MaxQueryDepth)
				return args
			}
			open = append(open, t.kind)
		case lexer.ParenR, lexer.BracketR, lexer.BraceR:
			if open[len(open)-1] != opening(t.kind) {
				s.unreadable = true
				return args
			}
			if open = open[:len(open)-1]; len(open) == 0 {
				return args
			}
		case lexer.Colon:
			if len(open) == 1 && open[0] == lexer.ParenL {
				if args++; args > MaxFieldArguments {
					s.refuse("arguments", MaxFieldArguments, "a field, directive or operation has more than %d "+
						"arguments or variables: send fewer", MaxFieldArguments)
					return args
				}
			}
		case lexer.EOF:
			s.unreadable = true
			return args
		}
	}
	return args
}

// opening is the token a closing one closes.
func opening(closing lexer.Type) lexer.Type {
	switch closing {
	case lexer.ParenR:
		return lexer.ParenL
	case lexer.BracketR:
		return lexer.BracketL
	}
	return lexer.BraceL
}

// outline is what the scanner read.
type outline struct {
	sels  []outlineSel
	defs  []outlineDef
	frags map[string]int32
}

func (s *docScanner) outline() *outline {
	return &outline{sels: s.sels, defs: s.defs, frags: s.frags}
}

// check applies the bounds that need the whole outline.
func (o *outline) check() *docBoundError {
	own := make([]int, len(o.defs))         // selections written in each definition
	spreads := make([][]int32, len(o.defs)) // the defined fragments each one spreads
	for d, def := range o.defs {
		own[d], spreads[d] = o.ownSelections(def.first, 0, spreads[d])
	}
	if cyclic := cycle(o.defs, spreads); cyclic >= 0 {
		return &docBoundError{bound: "fragmentCycle", code: "GRAPHQL_VALIDATION_FAILED", msg: fmt.Sprintf(
			"fragment %q spreads itself, directly or through other fragments: a fragment cannot contain itself",
			o.fragmentName(cyclic))}
	}
	// With no cycle, a fragment's figures are those of its own selections
	// plus its spreads', each taken once: a fragment reached a million
	// times through fan-out is counted once.
	facts := make([]fragmentFacts, len(o.defs))
	expanded := 0
	for _, d := range o.roots(spreads) {
		n, _ := o.setFacts(o.defs[d].first, facts)
		if expanded = min(expanded+n, MaxExpandedSelections+1); expanded > MaxExpandedSelections {
			return &docBoundError{bound: "expandedSelections", limit: MaxExpandedSelections, msg: fmt.Sprintf(
				"the document's fragments expand to more than %d fields: spread each fragment once, "+
					"or ask for less in one query", MaxExpandedSelections)}
		}
	}
	for _, def := range o.defs {
		if _, depth := o.setFacts(def.first, facts); depth > MaxQueryDepth {
			return &docBoundError{bound: "depth", limit: MaxQueryDepth, msg: fmt.Sprintf(
				"the document nests fields more than %d levels deep with its fragments expanded: "+
					"ask for less nested data, and the rest in another query", MaxQueryDepth)}
		}
	}
	if walk := walked(own, spreads); walk > MaxFragmentWalk {
		return &docBoundError{bound: "fragmentWalk", limit: MaxFragmentWalk, msg: fmt.Sprintf(
			"the document's fragments spread one another too deeply to validate (more than %d selections to visit): "+
				"flatten chains of fragments, and send only the definitions the operation uses", MaxFragmentWalk)}
	}
	if n := o.spreadComparisons(facts); n > MaxSpreadComparisons {
		return &docBoundError{bound: "spreadComparisons", limit: MaxSpreadComparisons, msg: fmt.Sprintf(
			"the document spreads too many fragments together to validate (more than %d comparisons): "+
				"spread fewer fragments in one place, or merge small ones", MaxSpreadComparisons)}
	}
	pairs, collect := o.placeFacts(o.roots(spreads))
	if collect > MaxObjectSelections {
		return &docBoundError{bound: "objectSelections", limit: MaxObjectSelections, msg: fmt.Sprintf(
			"the document selects more than %d fields on one object (aliases count; a field counts once more "+
				"for each fragment it is reached through): ask for fewer, and the rest in another query", MaxObjectSelections)}
	}
	if pairs > MaxMergeComparisons {
		return &docBoundError{bound: "mergeComparisons", limit: MaxMergeComparisons, msg: fmt.Sprintf(
			"the document asks for the same field too many times at one place (more than %d pairs to compare): "+
				"give repeated fields different aliases, or ask for each once", MaxMergeComparisons)}
	}
	return nil
}

func (o *outline) fragmentName(d int32) string {
	for name, f := range o.frags {
		if f == d {
			return name
		}
	}
	return ""
}

// ownSelections counts the selections written in a set, from n, and lists
// the defined fragments it spreads.
func (o *outline) ownSelections(first int32, n int, spreads []int32) (int, []int32) {
	for i := first; i >= 0; i = o.sels[i].next {
		sel := &o.sels[i]
		n++
		if sel.kind == selSpread {
			if f, ok := o.frags[sel.name]; ok {
				spreads = append(spreads, f)
			}
			continue
		}
		n, spreads = o.ownSelections(sel.child, n, spreads)
	}
	return n, spreads
}

// cycle returns a fragment that reaches itself through spreads, or -1.
func cycle(defs []outlineDef, spreads [][]int32) int32 {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]uint8, len(defs))
	type frame struct {
		d    int32
		next int // the next of its spreads to follow
	}
	var stack []frame
	for start := range defs {
		if state[start] != unseen {
			continue
		}
		state[start] = onPath
		stack = append(stack[:0], frame{d: int32(start)})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next == len(spreads[top.d]) {
				state[top.d] = done
				stack = stack[:len(stack)-1]
				continue
			}
			f := spreads[top.d][top.next]
			top.next++
			switch state[f] {
			case onPath:
				return f
			case unseen:
				state[f] = onPath
				stack = append(stack, frame{d: f})
			}
		}
	}
	return -1
}

// roots are the definitions whose expansions, together, hold every
// selection of the document: the operations, then each fragment no
// operation or earlier root reaches (validation checks those too).
func (o *outline) roots(spreads [][]int32) []int32 {
	reached := make([]bool, len(o.defs))
	var roots, stack []int32
	mark := func(d int32) {
		stack = append(stack[:0], spreads[d]...)
		for len(stack) > 0 {
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !reached[f] {
				reached[f] = true
				stack = append(stack, spreads[f]...)
			}
		}
	}
	for d, def := range o.defs {
		if !def.fragment {
			roots = append(roots, int32(d))
			mark(int32(d))
		}
	}
	for d, def := range o.defs {
		if def.fragment && !reached[d] {
			roots = append(roots, int32(d))
			reached[d] = true
			mark(int32(d))
		}
	}
	return roots
}

// fragmentFacts are a fragment's figures with its spreads expanded.
type fragmentFacts struct {
	done     bool
	expanded int // selections, saturating past MaxExpandedSelections
	depth    int // fields nested
	// top and reach are what validation compares a fragment by: the
	// fields of its set with inline fragments and spreads merged in, and
	// the fragments spread there, itself included, each saturating.
	top, reach int
}

// setFacts is the expanded size and field depth of the set starting at
// first; the spread graph has no cycle.
func (o *outline) setFacts(first int32, facts []fragmentFacts) (expanded, depth int) {
	for i := first; i >= 0; i = o.sels[i].next {
		sel := &o.sels[i]
		n, d := 0, 0
		switch sel.kind {
		case selField:
			n, d = o.setFacts(sel.child, facts)
			d++
		case selInline:
			n, d = o.setFacts(sel.child, facts)
		case selSpread:
			if f, ok := o.frags[sel.name]; ok {
				if !facts[f].done {
					n, d := o.setFacts(o.defs[f].first, facts)
					top, reach := o.topFacts(o.defs[f].first, facts)
					facts[f] = fragmentFacts{done: true, expanded: n, depth: d, top: top, reach: reach + 1}
				}
				n, d = facts[f].expanded, facts[f].depth
			}
		}
		expanded = min(expanded+1+n, MaxExpandedSelections+1)
		depth = max(depth, d)
	}
	return expanded, depth
}

// topFacts are the fields of the set starting at first with inline
// fragments and spreads merged in, and the fragments spread there; the
// spreads' facts are done (setFacts visits them first).
func (o *outline) topFacts(first int32, facts []fragmentFacts) (top, reach int) {
	const ceiling = MaxSpreadComparisons + 1
	for i := first; i >= 0; i = o.sels[i].next {
		sel := &o.sels[i]
		switch sel.kind {
		case selField:
			top++
		case selInline:
			t, r := o.topFacts(sel.child, facts)
			top, reach = top+t, reach+r
		case selSpread:
			if f, ok := o.frags[sel.name]; ok {
				top, reach = top+facts[f].top, reach+facts[f].reach
			}
		}
		top, reach = min(top, ceiling), min(reach, ceiling)
	}
	return top, reach
}

// spreadComparisons estimates what OverlappingFieldsCanBeMerged does with
// the fragments of each selection set, beyond the same-named fields
// mergeComparisons counts: it compares every two fragments spread in the
// set, a field of one looked up in the other (with the fragments each
// spreads in turn), and the set's own fields with every fragment reached
// from it. Pairs are memoised across the document, so this is an upper
// bound; facts are done for every fragment reached (check ran setFacts).
func (o *outline) spreadComparisons(facts []fragmentFacts) int {
	total := 0
	set := func(first int32) {
		var fields, spreads, top, reach int
		var gather func(first int32)
		gather = func(first int32) {
			for i := first; i >= 0; i = o.sels[i].next {
				sel := &o.sels[i]
				switch sel.kind {
				case selField:
					fields++
				case selInline:
					gather(sel.child)
				case selSpread:
					if f, ok := o.frags[sel.name]; ok && facts[f].done {
						spreads++
						top, reach = top+facts[f].top, reach+facts[f].reach
					}
				}
			}
		}
		gather(first)
		if spreads > 1 {
			total += (spreads - 1) * top
		}
		total += fields * reach
	}
	for _, def := range o.defs {
		set(def.first)
		if total > MaxSpreadComparisons {
			return total
		}
	}
	for i := range o.sels {
		if o.sels[i].child >= 0 {
			set(o.sels[i].child)
			if total > MaxSpreadComparisons {
				return total
			}
		}
	}
	return total
}

// walked is the selections gqlparser's validator visits: each
// definition's own, and those of every fragment it reaches, once per
// definition; counting stops past MaxFragmentWalk.
func walked(own []int, spreads [][]int32) int {
	total := 0
	seen := make([]int, len(own)) // d+1 of the definition whose walk last reached it
	var stack []int32
	for d := range own {
		total += own[d]
		stack = append(stack[:0], spreads[d]...)
		for len(stack) > 0 && total <= MaxFragmentWalk {
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[f] == d+1 {
				continue
			}
			seen[f] = d + 1
			total += own[f]
			stack = append(stack, spreads[f]...)
		}
		if total > MaxFragmentWalk {
			break
		}
	}
	return total
}

// mergeKey names a place of the answer: the place above and a response name.
type mergeKey struct {
	parent int32
	name   string
}

// placeFacts walks each root with its fragments expanded, merging fields
// by response name into the places of the answer they fill, as validation
// and execution do, and returns two figures.
//
// comparisons is the pairs of fields OverlappingFieldsCanBeMerged
// compares, at most: fields sharing a response name at one place are
// compared pairwise (each pair matching their arguments and walking their
// values), and the fields under two compared fields in turn. Fields within
// a fragment are compared when validation checks the fragment, and again
// against what they merge with where it is spread: counting through the
// roots' expansions counts both.
//
// objectSelections is the most selections merged into one place, each
// counted once more for every fragment or inline fragment it is reached
// through: what gqlgen's CollectFields scans, for every object resolved at
// that place, to merge its selections (a linear search of those merged so
// far, once per level of fragments). 4,990 aliased ids on each log of a
// page of 500 took 51 s of CPU, at a cost of 500 nodes.
//
// The walk is the roots' expanded size, which check has bounded; it stops
// early once a figure is past its bound.
func (o *outline) placeFacts(roots []int32) (comparisons, objectSelections int) {
	// A place's fields so far: a field joining them is compared with each
	// (1), their arguments matched pairwise (args×args), their values
	// walked (tokens).
	type place struct{ fields, args, argTokens, collect int }
	over := func() bool { return comparisons > MaxMergeComparisons || objectSelections > MaxObjectSelections }
	for _, root := range roots {
		index := map[mergeKey]int32{}
		places := []place{{}} // 0: the root's own place
		var visit func(first, parent int32, through int)
		visit = func(first, parent int32, through int) {
			for i := first; i >= 0 && !over(); i = o.sels[i].next {
				sel := &o.sels[i]
				switch sel.kind {
				case selField:
					places[parent].collect += 1 + through
					objectSelections = max(objectSelections, places[parent].collect)
					k := mergeKey{parent, sel.name}
					p, ok := index[k]
					if !ok {
						p = int32(len(places))
						index[k] = p
						places = append(places, place{})
					}
					pl := &places[p]
					args, tokens := int(sel.args), int(sel.argTokens)
					comparisons += pl.fields*(1+tokens) + pl.argTokens + pl.args*args
					pl.fields, pl.args, pl.argTokens = pl.fields+1, pl.args+args, pl.argTokens+tokens
					visit(sel.child, p, 0)
				case selInline:
					visit(sel.child, parent, through+1)
				case selSpread:
					if f, ok := o.frags[sel.name]; ok {
						visit(o.defs[f].first, parent, through+1)
					}
				}
			}
		}
		visit(o.defs[root].first, 0, 0)
		if over() {
			break
		}
	}
	return comparisons, objectSelections
}
