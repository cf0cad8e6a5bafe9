package ddbsim

func nearly(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }
