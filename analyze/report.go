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
)

// Report is the result of one analysis; reporters render it and nothing else.
// Field order is the JSON contract's key order.
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	Tool          Tool      `json:"tool"`
	Inputs        []Input   `json:"inputs"`
	Findings      []Finding `json:"findings"`
	Summary       Summary   `json:"summary"`
	SignIn        SignIn    `json:"signin"`
	Clock         Clock     `json:"clock"`
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
}

// Finding is one documented cause that the evidence points to.
type Finding struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Severity   string     `json:"severity"`
	Confidence string     `json:"confidence"`
	Message    string     `json:"message,omitempty"` // the error text the user saw, when known
	Cause      string     `json:"cause"`
	Remedy     []string   `json:"remedy"`
	Links      []string   `json:"links"`
	Collect    string     `json:"collect,omitempty"` // what to collect to decide, when possible
	Evidence   []Evidence `json:"evidence"`
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
	Outcome  string `json:"outcome"`             // OutcomeFailed, OutcomeSucceeded, OutcomeUnknown
	Address  string `json:"address,omitempty"`   // the sign-in address the client used last
	Attempts int    `json:"attempts"`            // REGISTER requests seen
	Failures int    `json:"failures"`            // failed REGISTER responses and failure texts
	LastTime string `json:"last_time,omitempty"` // time of the deciding event
}
