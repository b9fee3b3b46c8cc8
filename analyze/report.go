package analyze

// SchemaVersion is the version of the JSON report (cli-contract.md).
const SchemaVersion = 1

// Severities, most severe first.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Confidence of a finding.
const (
	Confirmed = "confirmed" // the evidence that decides this cause is present
	Possible  = "possible"  // only a symptom shared by several causes is present
)

// Sign-in outcomes.
const (
	OutcomeFailed    = "failed"    // sign-in failed and did not succeed afterwards
	OutcomeSucceeded = "succeeded" // the last REGISTER attempt succeeded
	OutcomeUnknown   = "unknown"   // the inputs show no sign-in attempt
	// OutcomeRecovered: sign-in failed one or more times, then succeeded
	// (the failures are still reported: "it failed this morning, it works now").
	OutcomeRecovered = "recovered"
)

// Report is the result of one analysis; reporters render it and nothing else.
// Field order is the JSON contract's key order.
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	Tool          Tool      `json:"tool"`
	Subject       Subject   `json:"subject"`
	Inputs        []Input   `json:"inputs"`
	Findings      []Finding `json:"findings"`
	// RuledOut lists the causes that evidence excluded, and which file did.
	RuledOut []RuledOut `json:"ruled_out,omitempty"`
	Summary  Summary    `json:"summary"`
	SignIn   SignIn     `json:"signin"`
	// Attempts is the sign-in timeline, oldest first.
	Attempts []Attempt `json:"timeline,omitempty"`
	Clock    Clock     `json:"clock"`
	// Missing says which kinds of evidence the inputs lack and how to
	// collect them.
	Missing []Advice `json:"missing,omitempty"`
	// Groups is set when the inputs hold more than one user or computer:
	// each group is analysed on its own and has its own verdict. The
	// top-level Findings, SignIn and Attempts are then empty; Summary
	// counts the findings of every group.
	Groups []Report `json:"groups,omitempty"`
}

// Subject says whose sign-in the evidence shows, with which client, and
// over which time span.
type Subject struct {
	// Client is the client product as it names itself ("Skype for
	// Business 2016"), Version its build ("16.0.4849.1000"), UserAgent
	// the User-Agent header they come from.
	Client    string `json:"client,omitempty"`
	Version   string `json:"version,omitempty"`
	UserAgent string `json:"user_agent,omitempty"`
	Address   string `json:"address,omitempty"`  // the sign-in address
	Computer  string `json:"computer,omitempty"` // from event logs or ipconfig
	// First and Last bound the evidence: client-log times as written
	// (local, no zone), event-log times in UTC. FirstUTC and LastUTC are
	// the same span in UTC when the client's offset is known.
	First    string `json:"first,omitempty"`
	Last     string `json:"last,omitempty"`
	FirstUTC string `json:"first_utc,omitempty"`
	LastUTC  string `json:"last_utc,omitempty"`
	// Key names the group (address, computer or bundle) when the report
	// is one of several groups.
	Key string `json:"key,omitempty"`
}

// Advice names a kind of evidence the inputs lack: why it matters and
// the exact command or setting that produces it.
type Advice struct {
	Evidence string `json:"evidence"` // client-logs, event-logs, dns, time, registry, directory, ...
	Why      string `json:"why"`
	Command  string `json:"command"`
}

// RuledOut is a documented cause that evidence excluded.
type RuledOut struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Rule   string `json:"rule"` // the signature's rules_out rule that matched
	Path   string `json:"path"` // the input that ruled it out
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"` // what the evidence showed, for a person
}

// Attempt is one sign-in attempt: a REGISTER dialog with its challenges
// and redirects, or a failure the client showed.
type Attempt struct {
	N        int    `json:"n"`                   // 1-based, in time order
	Start    string `json:"start,omitempty"`     // as written (local for client logs)
	StartUTC string `json:"start_utc,omitempty"` // when the client's offset is known
	End      string `json:"end,omitempty"`
	Address  string `json:"address,omitempty"`
	Steps    []Step `json:"steps"`
	Outcome  string `json:"outcome"` // succeeded, failed, unknown
	// Decisive is the response or event that decided the outcome
	// ("SIP/2.0 404 Not Found; ms-diagnostics: 4005;reason=...").
	Decisive string   `json:"decisive,omitempty"`
	Path     string   `json:"path,omitempty"`
	Line     int      `json:"line,omitempty"`
	Findings []string `json:"findings,omitempty"` // ids of the findings it supports
}

// Step is one thing the client did or got during an attempt.
type Step struct {
	Time   string `json:"time,omitempty"`
	Kind   string `json:"kind"`             // autodiscover, dns, register, auth, redirect, response, error
	Server string `json:"server,omitempty"` // host or address it talked to
	Detail string `json:"detail"`
	Path   string `json:"path,omitempty"`
	Line   int    `json:"line,omitempty"`
}

// Clock says how the client's local log times were placed in UTC.
type Clock struct {
	// ClientUTCOffset is the client's offset from UTC ("+02:00"), or ""
	// when unknown: then client-log times are only compared with each other.
	ClientUTCOffset string `json:"client_utc_offset,omitempty"`
	// Source is where the offset comes from: "sip-date" (server Date
	// headers against the log's own times) or "flag" (--client-utc-offset).
	Source string `json:"source,omitempty"`
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Input is one file that was read (or could not be).
type Input struct {
	Path      string   `json:"path"`
	Format    string   `json:"format"` // uccapilog, evtx, text, unrecognized, ...
	Events    int      `json:"events"`
	FirstTime string   `json:"first_time,omitempty"`
	LastTime  string   `json:"last_time,omitempty"`
	Errors    []string `json:"errors,omitempty"`
	// Kinds counts the events read by kind (sip, record, dns, ...): what
	// the input held.
	Kinds map[string]int `json:"kinds,omitempty"`
	// RuledOut names the signature ids this input's evidence excluded.
	RuledOut []string `json:"ruled_out,omitempty"`
	// CopyOf is the path of the input this one is a copy of, or of a part
	// of (a .bak, the same log collected twice): every event the rules
	// read in it is that input's too, and counted there.
	CopyOf string `json:"copy_of,omitempty"`
}

// Finding is one documented cause that the evidence points to.
type Finding struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Severity   string   `json:"severity"`
	Confidence string   `json:"confidence"`
	Message    string   `json:"message,omitempty"` // the error text the user saw, when known
	Cause      string   `json:"cause"`
	Remedy     []string `json:"remedy"`
	Links      []string `json:"links"`
	Collect    string   `json:"collect,omitempty"` // what to collect to decide, when possible
	// Commands are the exact commands that produce the deciding files,
	// when the finding is only possible.
	Commands []string `json:"commands,omitempty"`
	// Deciding is the line that decides the finding (the status line with
	// its ms-diagnostics header, the HRESULT line, the event): the first
	// evidence of the deciding rule, or the first evidence when only
	// symptoms matched.
	Deciding *Evidence  `json:"deciding,omitempty"`
	Evidence []Evidence `json:"evidence"`
	// EvidenceTotal counts every matching event, including those grouped
	// into Evidence[i].Count and those left out past the evidence cap.
	EvidenceTotal int `json:"evidence_total"`
}

// Evidence is one excerpt that supports a finding. Secrets are already masked.
type Evidence struct {
	Path     string `json:"path"`
	Line     int    `json:"line,omitempty"`
	RecordID uint64 `json:"record_id,omitempty"`
	Time     string `json:"time,omitempty"`
	Excerpt  string `json:"excerpt"`
	Count    int    `json:"count,omitempty"` // >1 when identical excerpts were grouped
}

// Summary counts findings by severity.
type Summary struct {
	Findings int `json:"findings"`
	Error    int `json:"error"`
	Warning  int `json:"warning"`
	Info     int `json:"info"`
}

// SignIn says whether the user finally signed in, as far as the logs show.
type SignIn struct {
	Outcome  string `json:"outcome"`           // OutcomeFailed, OutcomeSucceeded, OutcomeRecovered, OutcomeUnknown
	Address  string `json:"address,omitempty"` // the sign-in address the client used last
	Attempts int    `json:"attempts"`          // sign-in attempts (a REGISTER dialog with its challenges and redirects is one)
	Failures int    `json:"failures"`          // attempts that failed
	// Registers counts REGISTER requests sent (challenges and redirects
	// included); Refusals the final error responses of the server to
	// them; Errors the user-visible error texts.
	Registers int `json:"registers"`
	Refusals  int `json:"refusals"`
	Errors    int `json:"errors"`
	// Copies counts the attempts found again in another input (a copy of
	// a log): they are counted once, in the counters above and in the
	// timeline.
	Copies   int    `json:"copies,omitempty"`
	LastTime string `json:"last_time,omitempty"` // time of the deciding event
	// FirstFailure and LastFailure bound the failed attempts; SucceededAt
	// is the success that followed them (OutcomeRecovered).
	FirstFailure string `json:"first_failure,omitempty"`
	LastFailure  string `json:"last_failure,omitempty"`
	SucceededAt  string `json:"succeeded_at,omitempty"`
}
