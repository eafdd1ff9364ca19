// Modules every workflow bundle of this project includes (worker from source, test and benchmark
// bundles): pass them as bundleWorkflowCode's workflowInterceptorModules. Kept free of heavy imports
// so the bundling scripts can read it cheaply.
export const WORKFLOW_INTERCEPTOR_MODULES: string[] = [require.resolve('./workflow-interceptors')];
