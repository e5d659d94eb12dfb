export { Catalog, type CatalogFile } from './Catalog.ts';
export { loadCatalog, CatalogLoadError, type CatalogSources } from './loadCatalog.ts';
export { parseJsonDocument, lineOfPath, locateError, lineAt } from './jsonSource.ts';
