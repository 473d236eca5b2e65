pub fn sync(_root: &std::path::Path, _args: &[String]) -> Result<(), String> {
    Err("todo".into())
}
pub fn verify(_dir: &std::path::Path) -> Result<(), String> {
    Ok(())
}
