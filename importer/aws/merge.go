package aws

import (
	"fmt"
	"reflect"
	"slices"
)

// Merge combines descriptions of the same tables, keyed by table name: a
// describe-table, its describe-time-to-live and its auto scaling targets
// and policies become one TableSpec. A table with no name (from
// describe-time-to-live, which names none) joins the one named table;
// with several it is an error. Two inputs giving one field different
// values is an error naming both files.
func Merge(descs ...*Description) (*Description, error) {
	out := &Description{}
	var nameless []TableSpec
	for _, d := range descs {
		if d == nil {
			continue
		}
		out.Notes = append(out.Notes, d.Notes...)
		for _, t := range d.Tables {
			if t.Name == "" {
				nameless = append(nameless, t)
				continue
			}
			if err := mergeTable(out, t); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range nameless {
		if len(out.Tables) != 1 {
			return nil, fmt.Errorf("%s: names no table, and the other inputs describe %d tables; expected exactly one to give it to", anySource(t.Sources), len(out.Tables))
		}
		t.Name = out.Tables[0].Name
		if err := mergeTable(out, t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func mergeTable(out *Description, t TableSpec) error {
	for i := range out.Tables {
		if out.Tables[i].Name == t.Name {
			return mergeFields("table "+t.Name, &out.Tables[i], &t)
		}
	}
	out.Tables = append(out.Tables, cloneTable(t))
	return nil
}

func cloneTable(t TableSpec) TableSpec {
	t.Sources = cloneMap(t.Sources)
	t.GlobalIndexes = slices.Clone(t.GlobalIndexes)
	t.LocalIndexes = slices.Clone(t.LocalIndexes)
	for i := range t.GlobalIndexes {
		t.GlobalIndexes[i].Sources = cloneMap(t.GlobalIndexes[i].Sources)
	}
	for i := range t.LocalIndexes {
		t.LocalIndexes[i].Sources = cloneMap(t.LocalIndexes[i].Sources)
	}
	return t
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func anySource(sources map[string]string) string {
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range sources {
			if !yield(k) {
				return
			}
		}
	}) {
		return sources[k]
	}
	return "an input"
}

// mergeFields copies into dst (a *TableSpec or *IndexSpec) each field src
// has a source for, refusing a different value dst already has from
// another file. Indexes merge by name; Scaling fields field by field.
func mergeFields(label string, dst, src any) error {
	dv, sv := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	dSources := dv.FieldByName("Sources").Addr().Interface().(*map[string]string)
	sSources := sv.FieldByName("Sources").Interface().(map[string]string)
	if *dSources == nil {
		*dSources = map[string]string{}
	}
	for i := range sv.NumField() {
		name := sv.Type().Field(i).Name
		switch name {
		case "Name", "Sources":
			continue
		case "GlobalIndexes", "LocalIndexes":
			for _, ix := range sv.Field(i).Interface().([]IndexSpec) {
				if err := mergeIndex(label, dst.(*TableSpec), name, ix); err != nil {
					return err
				}
			}
			continue
		}
		if sv.Field(i).Type() == reflect.TypeFor[Scaling]() {
			for j, part := range []string{"Min", "Max", "Target"} {
				key := name + "." + part
				if err := mergeOne(label, key, dv.Field(i).Field(j), sv.Field(i).Field(j), *dSources, sSources); err != nil {
					return err
				}
			}
			continue
		}
		if err := mergeOne(label, name, dv.Field(i), sv.Field(i), *dSources, sSources); err != nil {
			return err
		}
	}
	return nil
}

func mergeOne(label, key string, d, s reflect.Value, dSources, sSources map[string]string) error {
	from, ok := sSources[key]
	if !ok {
		return nil
	}
	if was, ok := dSources[key]; ok {
		if !reflect.DeepEqual(d.Interface(), s.Interface()) {
			return fmt.Errorf("%s: %s is %v in %s but %v in %s", label, key, d.Interface(), was, s.Interface(), from)
		}
		return nil
	}
	d.Set(s)
	dSources[key] = from
	return nil
}

func mergeIndex(label string, dt *TableSpec, list string, ix IndexSpec) error {
	if have := dt.Index(ix.Name); have != nil {
		return mergeFields(label+" index "+ix.Name, have, &ix)
	}
	ix.Sources = cloneMap(ix.Sources)
	if list == "GlobalIndexes" {
		dt.GlobalIndexes = append(dt.GlobalIndexes, ix)
	} else {
		dt.LocalIndexes = append(dt.LocalIndexes, ix)
	}
	return nil
}
