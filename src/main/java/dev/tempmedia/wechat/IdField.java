package dev.tempmedia.wechat;

/** The name of the parameter (and configuration key) that names an app: WeChat's two spellings. */
public enum IdField {
  APPID("appid"),
  CORPID("corpid");

  private final String wireName;

  IdField(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
