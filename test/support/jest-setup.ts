// aws-cdk-lib >= 2.262 runs a built-in CloudFormation validation plugin on every synth (about 3 s each on this
// machine). Unit tests synthesize hundreds of small apps, so they turn it off; the example app (`npm run demo`),
// the integ tests and test/examples.test.ts synthesize with it on.
process.env.CDK_VALIDATION = 'false';
