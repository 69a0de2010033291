/** The recording engine's public API, for the appliance and the console. */
export { RecordingProcess, type RecordingProcessEvents, type RecordingProcessOptions, type RecordingProcessState } from './supervisor/RecordingProcess.ts';
export { recoverRecording } from './supervisor/recoverRecording.ts';
export { probeEncoders, type EncoderProbe } from './encoders/probeEncoders.ts';
export { HEVC_ENCODERS, type HevcEncoder } from './encoders/hevcEncoders.ts';
export {
  validateRecordingMode,
  validateRecordingParams,
  type RecordingParams,
  type RecordingMode,
  type RecordingKind,
  type Container,
  type AudioCodec,
} from './params/RecordingParams.ts';
export type { RtpInputSpec, RtpPorts, RtpCodec } from './inputs/RtpInputSpec.ts';
export type { RecordingResult, RecordedFile, RecordedFileKind } from './sinks/RecordingResult.ts';
export type { ManifestTrack } from './sinks/finaliseRecording.ts';
export { interruptionsOf, joinRecordingParts, type JoinedRecording } from './sinks/joinRecordingParts.ts';
export { sha256Of } from './sinks/describeMediaFile.ts';
export type { RecordingProgress, RecordingStarted } from './worker/protocol.ts';
export {
  RecordingParamsError,
  RecordingStateError,
  InputError,
  EncoderUnavailableError,
  PipelineError,
  WorkerError,
  FinaliseError,
  JoinError,
  MediaToolTimeoutError,
  FrameAnalysisError,
  type ParamsProblem,
} from './errors.ts';
