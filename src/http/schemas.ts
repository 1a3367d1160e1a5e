import Type from 'typebox'

/** The error body every route answers with (see the error handler plugin). */
export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String()
})
