// The clouds the project speaks to; its own module so provider errors and kind metadata can both
// name them without importing each other.
export type CloudName = 'tencentcloud' | 'alibabacloud' | 'volcengine';
