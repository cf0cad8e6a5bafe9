module github.com/ddbsim/ddbsim

go 1.26

require (
	github.com/HdrHistogram/hdrhistogram-go v1.4.0 // indirect
	github.com/spf13/pflag v1.1.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
