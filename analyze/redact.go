package analyze

import "github.com/sfblog/sfblog/redact"

// redactReport replaces personal data (addresses, user, computer and host
// names, IP addresses, phone numbers, paths) everywhere in the report, in
// report order, so that pseudonyms are numbered the same on every run.
func redactReport(r *Report, red *redact.Redactor) {
	s := red.Redact
	r.Subject.Address = s(r.Subject.Address)
	r.Subject.Computer = s(r.Subject.Computer)
	r.Subject.Key = s(r.Subject.Key)
	for i := range r.Inputs {
		in := &r.Inputs[i]
		in.Path, in.CopyOf = s(in.Path), s(in.CopyOf)
		for j := range in.Errors {
			in.Errors[j] = s(in.Errors[j])
		}
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Message = s(f.Message)
		if f.Deciding != nil {
			f.Deciding.Path, f.Deciding.Excerpt = s(f.Deciding.Path), s(f.Deciding.Excerpt)
		}
		for j := range f.Evidence {
			f.Evidence[j].Path, f.Evidence[j].Excerpt = s(f.Evidence[j].Path), s(f.Evidence[j].Excerpt)
		}
	}
	for i := range r.RuledOut {
		r.RuledOut[i].Path, r.RuledOut[i].Reason = s(r.RuledOut[i].Path), s(r.RuledOut[i].Reason)
	}
	r.SignIn.Address = s(r.SignIn.Address)
	for i := range r.Attempts {
		a := &r.Attempts[i]
		a.Address, a.Decisive, a.Path = s(a.Address), s(a.Decisive), s(a.Path)
		for j := range a.Steps {
			st := &a.Steps[j]
			st.Server, st.Detail, st.Path = s(st.Server), s(st.Detail), s(st.Path)
		}
	}
	for i := range r.Groups {
		redactReport(&r.Groups[i], red)
	}
}
