package aws

func (r *reader) template(v val) error  { return nil }
func (r *reader) terraform(v val) error { return nil }
