package aws

import "strings"

// scalingKeys name the fields of a scalable target or scaling policy: the
// AWS CLI's (ResourceId, ...) or the terraform provider's (resource_id, ...).
type scalingKeys struct {
	namespace, resourceID, dimension, min, max string
	policyType, config, targetValue            string
}

var (
	cliScaling = scalingKeys{"ServiceNamespace", "ResourceId", "ScalableDimension", "MinCapacity", "MaxCapacity",
		"PolicyType", "TargetTrackingScalingPolicyConfiguration", "TargetValue"}
	terraformScaling = scalingKeys{"service_namespace", "resource_id", "scalable_dimension", "min_capacity", "max_capacity",
		"policy_type", "target_tracking_scaling_policy_configuration", "target_value"}
)

// scalingTarget is where an application-autoscaling ResourceId and
// ScalableDimension point: a table or one of its indexes, reads or writes.
type scalingTarget struct {
	table, index string
	reads        bool
}

// target parses ResourceId "table/NAME" or "table/NAME/index/INDEX" and
// ScalableDimension "dynamodb:table:ReadCapacityUnits" (or index, or
// WriteCapacityUnits). ok is false for another service's target.
func target(v val, k scalingKeys) (t scalingTarget, ok bool, err error) {
	ns, err := v.field(k.namespace).optStr()
	if err != nil || (ns != "" && ns != "dynamodb") {
		return t, false, err
	}
	id := v.field(k.resourceID)
	s, err := id.str()
	if err != nil {
		return t, false, err
	}
	parts := strings.Split(s, "/")
	switch {
	case len(parts) == 2 && parts[0] == "table" && parts[1] != "":
		t.table = parts[1]
	case len(parts) == 4 && parts[0] == "table" && parts[1] != "" && parts[2] == "index" && parts[3] != "":
		t.table, t.index = parts[1], parts[3]
	default:
		return t, false, id.expected(`"table/NAME" or "table/NAME/index/INDEX"`)
	}
	kind := "table"
	if t.index != "" {
		kind = "index"
	}
	dim := v.field(k.dimension)
	d, err := dim.oneOf("dynamodb:"+kind+":ReadCapacityUnits", "dynamodb:"+kind+":WriteCapacityUnits")
	if err != nil {
		return t, false, err
	}
	t.reads = strings.HasSuffix(d, "ReadCapacityUnits")
	return t, true, nil
}

// scaling is the Scaling a target points at, and its Sources field name
// and setter.
func (r *reader) scaling(at scalingTarget) (*Scaling, string, func(string, string)) {
	t := r.table(at.table)
	field := "WriteScaling"
	if at.reads {
		field = "ReadScaling"
	}
	if at.index == "" {
		if at.reads {
			return &t.ReadScaling, field, t.set
		}
		return &t.WriteScaling, field, t.set
	}
	ix := t.Index(at.index)
	if ix == nil {
		t.GlobalIndexes = append(t.GlobalIndexes, IndexSpec{Name: at.index})
		ix = &t.GlobalIndexes[len(t.GlobalIndexes)-1]
	}
	if at.reads {
		return &ix.ReadScaling, field, ix.set
	}
	return &ix.WriteScaling, field, ix.set
}

// scalableTargets reads aws application-autoscaling
// describe-scalable-targets output: MinCapacity and MaxCapacity.
func (r *reader) scalableTargets(v val) error {
	if _, ok := v.v.([]any); !ok {
		return v.expected("a list")
	}
	list, err := v.list()
	if err != nil {
		return err
	}
	for _, x := range list {
		if err := r.scalableTarget(x, cliScaling); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) scalableTarget(x val, k scalingKeys) error {
	at, ok, err := target(x, k)
	if err != nil {
		return err
	}
	if !ok {
		r.note("%s: not a DynamoDB target, skipped", x.path)
		return nil
	}
	s, field, set := r.scaling(at)
	if s.Min, err = x.field(k.min).integer(); err != nil {
		return err
	}
	if s.Max, err = x.field(k.max).integer(); err != nil {
		return err
	}
	if s.Min > s.Max {
		return x.field(k.max).errf("expected at least %s (%d), got %d", k.min, s.Min, s.Max)
	}
	set(field+".Min", r.file)
	set(field+".Max", r.file)
	return nil
}

// scalingPolicies reads aws application-autoscaling
// describe-scaling-policies output: a target tracking policy's TargetValue.
func (r *reader) scalingPolicies(v val) error {
	if _, ok := v.v.([]any); !ok {
		return v.expected("a list")
	}
	list, err := v.list()
	if err != nil {
		return err
	}
	for _, x := range list {
		if err := r.scalingPolicy(x, x.field(cliScaling.config), cliScaling); err != nil {
			return err
		}
	}
	return nil
}

// scalingPolicy reads one policy whose target tracking configuration is cfg.
func (r *reader) scalingPolicy(x, cfg val, k scalingKeys) error {
	at, ok, err := target(x, k)
	if err != nil {
		return err
	}
	if !ok {
		r.note("%s: not a DynamoDB policy, skipped", x.path)
		return nil
	}
	typ, err := x.field(k.policyType).optStr()
	if err != nil {
		return err
	}
	if typ != "" && typ != "TargetTrackingScaling" {
		r.note("%s: %s policy skipped: only target tracking is modelled", x.path, typ)
		return nil
	}
	s, field, set := r.scaling(at)
	value := cfg.field(k.targetValue)
	if s.Target, err = value.number(); err != nil {
		return err
	}
	if s.Target <= 0 || s.Target > 100 {
		return value.errf("expected a utilization in percent in (0, 100], got %g", s.Target)
	}
	set(field+".Target", r.file)
	return nil
}
