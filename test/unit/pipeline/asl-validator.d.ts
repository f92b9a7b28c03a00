// asl-validator 4.0.0 ships no types; this declares the call the pipeline tests make.
declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errors: { message: string }[];
    errorsText(separator?: string): string;
  }

  /** Validates an ASL definition. It mutates its argument (adds `QueryLanguage` to every state): pass a copy. */
  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): ValidationResult;

  export default aslValidator;
}
