#!/usr/bin/env node
import { buildPlatformApp } from './platform.ts';

// `npx cdk synth` (cdk.json) runs this file; the CLI synthesizes the app when the process exits.
buildPlatformApp();
